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

  private async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    const response = await this.fetcher(`${this.baseUrl}${path}`, {
      headers: { Accept: 'application/json', 'Accept-Language': this.language },
      credentials: 'same-origin',
      signal,
    });
    if (!response.ok) throw await problemFrom(response);
    return (await response.json()) as T;
  }

  private async post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Accept-Language': this.language,
      'Content-Type': 'application/json',
    };
    // A signed-in session's writes carry its CSRF token (Django's csrftoken cookie).
    const token = typeof document === 'undefined' ? undefined : /(?:^|; )csrftoken=([^;]+)/.exec(document.cookie)?.[1];
    if (token) headers['X-CSRFToken'] = decodeURIComponent(token);
    const response = await this.fetcher(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
    if (!response.ok) throw await problemFrom(response);
    return (await response.json()) as T;
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
}
