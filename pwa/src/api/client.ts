/** A small typed client for Guichet's API. Types come from schema/openapi.yaml. */

import type { components } from './schema';

export type Procedure = components['schemas']['Procedure'];
export type ProcedureDetail = components['schemas']['ProcedureDetail'];
export type Tracking = components['schemas']['Tracking'];
export type HistoryEvent = components['schemas']['Event'];
export type Ticket = components['schemas']['Ticket'];
export type Category = components['schemas']['Category'];
export type ProcedurePage = components['schemas']['PaginatedProcedureList'];
export type ProblemDetails = components['schemas']['Problem'];
export type Form = components['schemas']['Form'];
export type Submission = components['schemas']['Submission'];
export type CreatedDraft = components['schemas']['CreatedDraft'];
export type ValidationResult = components['schemas']['ValidationResult'];

/** A request's body and the ETag it came with. */
export interface Tagged<T> {
  body: T;
  etag: string;
}

/** The headers that let a caller without an account reach its draft, and make a write replayable. */
export interface WriteOptions {
  idempotencyKey?: string;
  resumeToken?: string;
  ifMatch?: string;
}

function writeHeaders(options: WriteOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  if (options.resumeToken) headers['X-Resume-Token'] = options.resumeToken;
  if (options.ifMatch) headers['If-Match'] = options.ifMatch;
  return headers;
}

/** Django's CSRF token, from its csrftoken cookie ('' when there is none yet). */
export function csrfToken(): string {
  if (typeof document === 'undefined') return '';
  return decodeURIComponent(/(?:^|; )csrftoken=([^;]+)/.exec(document.cookie)?.[1] ?? '');
}

/** An error answered by the API as RFC 9457 problem details. */
export class ProblemError extends Error {
  constructor(public readonly problem: ProblemDetails) {
    super(problem.detail || problem.title);
    this.name = 'ProblemError';
  }
}

export interface ProcedureQuery {
  q?: string;
  category?: string;
  cursor?: string;
  pageSize?: number;
}

/** The query string for the procedure list, leaving out empty values. */
export function procedureSearchParams(query: ProcedureQuery): URLSearchParams {
  const params = new URLSearchParams();
  const q = query.q?.trim();
  if (q) params.set('q', q);
  if (query.category) params.set('category', query.category);
  if (query.cursor) params.set('cursor', query.cursor);
  if (query.pageSize) params.set('page_size', String(query.pageSize));
  return params;
}

/** The cursor carried by a "next" link, if any. */
export function cursorOf(link: string | null | undefined): string | undefined {
  if (!link) return undefined;
  return new URL(link, 'http://guichet.invalid').searchParams.get('cursor') ?? undefined;
}

/** Turn an error response into a ProblemError, whatever its body. */
export async function problemFrom(response: Response): Promise<ProblemError> {
  const type = response.headers.get('Content-Type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as ProblemDetails;
      if (body && typeof body.title === 'string') return new ProblemError(body);
    } catch {
      /* fall through to a generic problem */
    }
  }
  return new ProblemError({
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    detail: response.statusText || `HTTP ${response.status}`,
    code: 'http-error',
  });
}

export class GuichetClient {
  constructor(
    private readonly baseUrl: string = '',
    private readonly language: string = 'fr',
    private readonly fetcher: typeof fetch = (...args) => fetch(...args),
  ) {}

  /** One call to the API; an error answer becomes a ProblemError. */
  async call(method: string, path: string, body?: unknown, extra: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': this.language, ...extra };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET') {
      // A signed-in session's writes carry its CSRF token.
      const token = csrfToken();
      if (token) headers['X-CSRFToken'] = token;
    }
    const response = await this.fetcher(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
    if (!response.ok) throw await problemFrom(response);
    return response;
  }

  private async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return (await (await this.call('GET', path, undefined, {}, signal)).json()) as T;
  }

  private async post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    return (await (await this.call('POST', path, body, {}, signal)).json()) as T;
  }

  /** A sent request's status and history, by its tracking code (no account needed). */
  track(code: string, signal?: AbortSignal): Promise<Tracking> {
    return this.post<Tracking>('/api/tracking/', { code }, signal);
  }

  /** A single-use ticket to follow one request live over the websocket. */
  followTicket(code: string, signal?: AbortSignal): Promise<Ticket> {
    return this.post<Ticket>('/api/realtime/tickets/', { stream: 'request', tracking_code: code, language: this.language }, signal);
  }

  procedures(query: ProcedureQuery = {}, signal?: AbortSignal): Promise<ProcedurePage> {
    const params = procedureSearchParams(query).toString();
    return this.get<ProcedurePage>(`/api/procedures/${params ? `?${params}` : ''}`, signal);
  }

  procedure(slug: string, signal?: AbortSignal): Promise<ProcedureDetail> {
    return this.get<ProcedureDetail>(`/api/procedures/${encodeURIComponent(slug)}/`, signal);
  }

  categories(signal?: AbortSignal): Promise<Category[]> {
    return this.get<Category[]>('/api/categories/', signal);
  }

  /** The procedure's current form, with its data-source choices and prefilled answers. */
  form(slug: string, signal?: AbortSignal): Promise<Form> {
    return this.get<Form>(`/api/procedures/${encodeURIComponent(slug)}/form/`, signal);
  }

  /** The server's check of answers, one page or all of them (no draft needed). */
  validate(slug: string, data: Record<string, unknown>, page: string | undefined, version: number, signal?: AbortSignal): Promise<ValidationResult> {
    const body: Record<string, unknown> = { data, version };
    if (page) body.page = page;
    return this.post<ValidationResult>(`/api/procedures/${encodeURIComponent(slug)}/validate/`, body, signal);
  }

  async createDraft(slug: string, data: Record<string, unknown>, options: WriteOptions): Promise<Tagged<CreatedDraft>> {
    const response = await this.call('POST', `/api/procedures/${encodeURIComponent(slug)}/submissions/`, { data }, writeHeaders(options));
    return { body: (await response.json()) as CreatedDraft, etag: response.headers.get('ETag') ?? '' };
  }

  async saveDraft(id: string, data: Record<string, unknown>, options: WriteOptions): Promise<Tagged<Submission>> {
    const response = await this.call('PATCH', `/api/submissions/${encodeURIComponent(id)}/`, { data }, writeHeaders(options));
    return { body: (await response.json()) as Submission, etag: response.headers.get('ETag') ?? '' };
  }

  async submit(id: string, options: WriteOptions): Promise<Submission> {
    const response = await this.call('POST', `/api/submissions/${encodeURIComponent(id)}/submit/`, undefined, writeHeaders(options));
    return (await response.json()) as Submission;
  }

  async draft(id: string, options: WriteOptions, signal?: AbortSignal): Promise<Tagged<Submission>> {
    const response = await this.call('GET', `/api/submissions/${encodeURIComponent(id)}/`, undefined, writeHeaders(options), signal);
    return { body: (await response.json()) as Submission, etag: response.headers.get('ETag') ?? '' };
  }

  /** Deletes a draft that was not sent. */
  async deleteDraft(id: string, options: WriteOptions): Promise<void> {
    await this.call('DELETE', `/api/submissions/${encodeURIComponent(id)}/`, undefined, writeHeaders(options));
  }

  /** The server's check of a draft's stored answers (files included), one page or all. */
  async check(id: string, page: string | undefined, options: WriteOptions): Promise<void> {
    await this.call('POST', `/api/submissions/${encodeURIComponent(id)}/check/`, page ? { page } : {}, writeHeaders(options));
  }
}
export type { components } from './schema';
