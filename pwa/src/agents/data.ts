/**
 * The back office's calls to the agents' API (/api/agent/), typed from the schema,
 * and the inbox's filter as it is kept in the address (so a view can be reloaded,
 * bookmarked and shared).
 */

import { signedIn } from '../account/session';
import { GuichetClient, type components } from '../api/client';
import { language } from '../i18n';

export type InboxItem = components['schemas']['InboxItem'];
export type InboxPage = components['schemas']['InboxPage'];
export type StatusCount = components['schemas']['StatusCount'];
export type AgentRequest = components['schemas']['AgentRequest'];
export type Move = components['schemas']['Move'];
export type AgentEvent = components['schemas']['AgentEvent'];
export type ReceivedProcedure = components['schemas']['ReceivedProcedure'];

export const client = new GuichetClient('', language);

/**
 * The inbox's filter as the page's address keeps it. Each is a query parameter of
 * /api/agent/requests/ too, except the dates of sending, which the address keeps as
 * days (``from``, ``to``) and the API takes as times (``submitted_after``, ``submitted_before``).
 */
export interface InboxFilter {
  status: string;
  q: string;
  procedure: string;
  assigned: '' | 'me' | 'none' | 'others';
  deadline_passed: boolean;
  ordering: string;
  /** One citizen's account (its id): the desk's view of a person's requests. */
  citizen: string;
  /** Sent on or after this day (YYYY-MM-DD), and on or before that one. */
  from: string;
  to: string;
  /** Working as one of the agent's roles (its slug): only what it holds. */
  role: string;
  /** The list's optional columns shown, comma-separated (empty: all of them). Not an API parameter. */
  cols: string;
  /** One answer's condition, ``name:operator:value`` (the API's ``where``). */
  where: string;
}

export const OPERATORS = ['eq', 'ne', 'contains', 'lt', 'gt', 'empty'] as const;
const WHERE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?:(eq|ne|contains|lt|gt|in|empty):.{0,280}$/s;

/** The inbox's optional columns, in their order (the reference always shows). */
export const COLUMNS = ['procedure', 'citizen', 'status', 'assignee', 'submitted', 'deadline'] as const;
export type Column = (typeof COLUMNS)[number];

/** The API's sort key of each column (``ordering``, with ``-`` for descending). */
export const SORT_KEYS: Record<Column | 'reference', string> = {
  reference: 'reference', procedure: 'procedure', citizen: 'citizen', status: 'status', assignee: 'assignee', submitted: 'submitted_at', deadline: 'deadline',
};
export const ORDERINGS = [...new Set(['-submitted_at', 'status_since', '-status_since', ...Object.values(SORT_KEYS).flatMap((key) => [key, `-${key}`])])];

/** How the list is sorted by a column, if it is. */
export function sortOf(filter: InboxFilter, column: Column | 'reference'): 'ascending' | 'descending' | undefined {
  const key = SORT_KEYS[column];
  return filter.ordering === key ? 'ascending' : filter.ordering === `-${key}` ? 'descending' : undefined;
}

/** The order a column's header gives: ascending first, then the other way. */
export const resorted = (filter: InboxFilter, column: Column | 'reference') =>
  sortOf(filter, column) === 'ascending' ? `-${SORT_KEYS[column]}` : SORT_KEYS[column];

/** The columns a filter shows. */
export function columnsOf(filter: InboxFilter): Column[] {
  const chosen = filter.cols.split(',');
  return filter.cols ? COLUMNS.filter((c) => chosen.includes(c)) : [...COLUMNS];
}

export const NO_FILTER: InboxFilter = {
  status: '', q: '', procedure: '', assigned: '', deadline_passed: false, ordering: '-submitted_at', citizen: '', from: '', to: '', role: '', cols: '', where: '',
};
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = (value: string | null) => (value && DAY.test(value) && !Number.isNaN(Date.parse(value)) ? value : '');

/** The role an address names (a slug), or none. */
export const roleIn = (params: URLSearchParams) => (/^[-a-zA-Z0-9_]{1,80}$/.test(params.get('role') ?? '') ? String(params.get('role')) : '');

/** The filter an address holds (unknown or malformed values fall back to none). */
export function filterFrom(search: string): InboxFilter {
  const params = new URLSearchParams(search);
  const assigned = params.get('assigned') ?? '';
  const ordering = params.get('ordering') ?? NO_FILTER.ordering;
  const citizen = params.get('citizen') ?? '';
  return {
    status: params.get('status') ?? '',
    q: params.get('q') ?? '',
    procedure: params.get('procedure') ?? '',
    assigned: (['me', 'none', 'others'].includes(assigned) ? assigned : '') as InboxFilter['assigned'],
    deadline_passed: params.get('deadline_passed') === 'true',
    ordering: ORDERINGS.includes(ordering) ? ordering : NO_FILTER.ordering,
    citizen: /^[1-9]\d{0,17}$/.test(citizen) ? citizen : '',
    from: day(params.get('from')),
    to: day(params.get('to')),
    role: roleIn(params),
    cols: (params.get('cols') ?? '').split(',').filter((c) => (COLUMNS as readonly string[]).includes(c)).join(','),
    where: WHERE.test(params.get('where') ?? '') ? String(params.get('where')) : '',
  };
}

/** The address's query string of a filter, leaving out what is not set. */
export function searchOf(filter: InboxFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.status) params.set('status', filter.status);
  if (filter.q.trim()) params.set('q', filter.q.trim());
  if (filter.procedure) params.set('procedure', filter.procedure);
  if (filter.assigned) params.set('assigned', filter.assigned);
  if (filter.deadline_passed) params.set('deadline_passed', 'true');
  if (filter.ordering !== NO_FILTER.ordering) params.set('ordering', filter.ordering);
  if (filter.citizen) params.set('citizen', filter.citizen);
  if (filter.from) params.set('from', filter.from);
  if (filter.to) params.set('to', filter.to);
  if (filter.role) params.set('role', filter.role);
  if (filter.cols) params.set('cols', filter.cols);
  if (filter.where) params.set('where', filter.where);
  return params;
}

/** The start of a day on the agent's clock, as the API's time (the day after ``to`` bounds it). */
function startOf(date: string, plusDays = 0): string {
  const [year, month, dayOfMonth] = date.split('-').map(Number);
  return new Date(year, month - 1, dayOfMonth + plusDays).toISOString();
}

/** The API's query parameters of a filter. */
export function apiSearchOf(filter: InboxFilter): URLSearchParams {
  const params = searchOf({ ...filter, from: '', to: '', cols: '' });
  if (filter.from) params.set('submitted_after', startOf(filter.from));
  if (filter.to) params.set('submitted_before', startOf(filter.to, 1));
  return params;
}

async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await (await client.call('GET', path, undefined, {}, signal)).json()) as T;
}

/** A page of the inbox, with the counts per status for the tabs. */
export function inbox(filter: InboxFilter, cursor?: string, signal?: AbortSignal): Promise<InboxPage> {
  const params = apiSearchOf(filter);
  params.set('counts', 'true');
  params.set('page_size', '50');
  if (cursor) params.set('cursor', cursor);
  return get<InboxPage>(`/api/agent/requests/?${params.toString()}`, signal);
}

/** Only the counts per status (a page of one), as the tabs follow the stream. */
export async function counts(filter: InboxFilter): Promise<StatusCount[]> {
  const params = apiSearchOf(filter);
  params.set('counts', 'true');
  params.set('page_size', '1');
  return (await get<InboxPage>(`/api/agent/requests/?${params.toString()}`)).counts ?? [];
}

export const procedures = (signal?: AbortSignal) => get<ReceivedProcedure[]>('/api/agent/procedures/', signal);

/** The roles receiving these procedures, by name: [slug, name] (an agent's choice when there are several). */
export const receiverRoles = (kinds: ReceivedProcedure[]): [string, string][] =>
  [...new Map(kinds.map((p) => [p.receiver_role.slug, p.receiver_role.name])).entries()].sort((a, b) => a[1].localeCompare(b[1], language));
export const request = (id: string, signal?: AbortSignal) => get<AgentRequest>(`/api/agent/requests/${encodeURIComponent(id)}/`, signal);

/** Takes a transition or a global action, sending the status the agent saw (a 409 if it moved). */
export async function act(id: string, body: components['schemas']['TakeRequest']): Promise<AgentRequest> {
  const response = await client.call('POST', `/api/agent/requests/${encodeURIComponent(id)}/actions/`, body, { 'Idempotency-Key': crypto.randomUUID() });
  return (await response.json()) as AgentRequest;
}

export async function assign(id: string, body: components['schemas']['AssignmentRequest']): Promise<AgentRequest> {
  const response = await client.call('POST', `/api/agent/requests/${encodeURIComponent(id)}/assignment/`, body, { 'Idempotency-Key': crypto.randomUUID() });
  return (await response.json()) as AgentRequest;
}

export type Profile = components['schemas']['Profile'];

/** Who is signed in, with their roles (an agent holds at least one). */
export const me = () => get<Profile>('/api/me/');

/** Why someone cannot use the back office: not signed in, not an agent, or a second factor owed. */
export type AgentRefusal = 'signed-out' | 'not-agent' | 'mfa';

/** The agent's profile, or why this person cannot use the back office (other failures are thrown). */
export async function agentAccess(): Promise<Profile | AgentRefusal> {
  if (!(await signedIn())) return 'signed-out';
  const profile = await me();
  return profile.roles?.length ? profile : 'not-agent';
}

export type Job = components['schemas']['Job'];

/** Writes to the citizen, asking them to correct ``fields`` if any (they are then told what to change). */
export async function writeToCitizen(id: string, body: string, fields: string[]): Promise<void> {
  const message: Record<string, unknown> = { body };
  if (fields.length) message.request_fields = fields;
  await client.call('POST', `/api/submissions/${encodeURIComponent(id)}/messages/`, message, { 'Idempotency-Key': crypto.randomUUID() });
}

/** A file of the request, read with the agent's session, for a preview in the page. */
export async function fileBlob(id: string): Promise<Blob> {
  return (await client.call('GET', `/api/attachments/${encodeURIComponent(id)}/`, undefined, { Accept: '*/*' })).blob();
}

/** Starts a bulk action (by hand-picked ids, or the inbox's filter) as a job. */
export async function bulk(body: components['schemas']['BulkRequest']): Promise<Job> {
  return (await (await client.call('POST', '/api/agent/bulk/', body, { 'Idempotency-Key': crypto.randomUUID() })).json()) as Job;
}

/** A file the API answered with (a small export comes at once, a large one as a job). */
export interface ExportedFile {
  blob: Blob;
  name: string;
}

/** Exports the inbox's filter: the file itself (up to 1,000 requests), else a job to follow. */
export async function exportJob(body: components['schemas']['ExportRequest']): Promise<Job | ExportedFile> {
  const response = await client.call('POST', '/api/agent/exports/', body, { Accept: '*/*', 'Idempotency-Key': crypto.randomUUID() });
  if (response.status === 202) return (await response.json()) as Job;
  const named = /filename="?([^";]+)"?/.exec(response.headers.get('Content-Disposition') ?? '');
  return { blob: await response.blob(), name: named?.[1] ?? `demandes.${body.format}` };
}

export const job = (id: string) => get<Job>(`/api/agent/jobs/${encodeURIComponent(id)}/`);

/** The inbox's filter as a bulk action's or an export's ``filter`` object (the API's names). */
export function filterBody(filter: InboxFilter): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, value] of apiSearchOf(filter)) {
    // In a body the API's list parameters are lists (a query string repeats them), its flag a boolean, its id a number.
    body[name] = name === 'deadline_passed' ? value === 'true' : name === 'citizen' ? Number(value) : LIST_PARAMETERS.has(name) ? [value] : value;
  }
  return body;
}

const LIST_PARAMETERS = new Set(['status', 'procedure', 'where']);

export type SavedView = components['schemas']['SavedView'];

/** The agent's saved inbox views and those shared with their roles. */
export const savedViews = () => get<SavedView[]>('/api/agent/views/');

/** Saves the inbox's address under a name (the agent's view of that name is replaced). */
export async function saveView(name: string, filter: InboxFilter, role: string): Promise<SavedView> {
  const body = { name, query: searchOf(filter).toString(), role: role || null };
  return (await (await client.call('POST', '/api/agent/views/', body, { 'Idempotency-Key': crypto.randomUUID() })).json()) as SavedView;
}

export async function deleteView(id: string): Promise<void> {
  await client.call('DELETE', `/api/agent/views/${encodeURIComponent(id)}/`, undefined, { 'Idempotency-Key': crypto.randomUUID() });
}
