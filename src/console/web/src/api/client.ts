import { loadSession } from './session';

/** The service's error body (docs: 400 with fields, 401/403, 404, 409, 422 naming the rule). */
export interface ApiProblem {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly rule?: string;
  readonly fields?: readonly { readonly field: string; readonly problems: readonly string[] }[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: ApiProblem,
  ) {
    super(problem.message);
    this.name = 'ApiError';
  }
}

/** Called when the service says the token is no longer good (401): the shell signs out. */
let onUnauthenticated: () => void = () => undefined;
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

export type QueryParams = Readonly<Record<string, string | number | boolean | undefined | null>>;

export function withQuery(path: string, query?: QueryParams): string {
  if (query === undefined) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text === '' ? path : `${path}${path.includes('?') ? '&' : '?'}${text}`;
}

async function request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const session = loadSession();
  const response = await fetch(path, {
    method,
    headers: {
      Accept: 'application/json',
      ...(session ? { Authorization: `Bearer ${session.token}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    let problem: ApiProblem;
    try {
      problem = (await response.json()) as ApiProblem;
    } catch {
      problem = {
        statusCode: response.status,
        error: `HTTP_${response.status}`,
        message: response.statusText,
      };
    }
    if (response.status === 401) onUnauthenticated();
    throw new ApiError(response.status, problem);
  }
  return response;
}

export async function apiGet<T>(path: string, query?: QueryParams): Promise<T> {
  return (await (await request('GET', withQuery(path, query))).json()) as T;
}

/** GET a text answer (CSV, HTML). */
export async function apiGetText(path: string, query?: QueryParams): Promise<string> {
  return (await request('GET', withQuery(path, query))).text();
}

/** A command. Every command answers with the global position it reached (use it as `?after=`). */
export async function apiPost<T = CommandAnswer>(
  path: string,
  body?: unknown,
  options: { idempotencyKey?: string } = {},
): Promise<T> {
  const headers: Record<string, string> = options.idempotencyKey
    ? { 'Idempotency-Key': options.idempotencyKey }
    : {};
  return (await (await request('POST', path, body, headers)).json()) as T;
}

export async function apiPut<T = CommandAnswer>(path: string, body?: unknown): Promise<T> {
  return (await (await request('PUT', path, body)).json()) as T;
}

/** The answer to every command. */
export interface CommandAnswer {
  readonly position: string;
  readonly events: readonly string[];
  readonly [field: string]: unknown;
}

/** Save an answer as a file, e.g. an export bundle or a certificate. */
export async function downloadFile(path: string, fileName: string): Promise<void> {
  const blob = await (await request('GET', path)).blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
