import type { Problem } from './types';

let session = 0;

/**
 * Marks the start of a new session (signed in or out): errors of requests sent before it are of the old one, so a
 * 401 that arrives late for one of them does not mean the new session ended.
 */
export function startSession(): void {
  session += 1;
}

/**
 * What an error answer carried: the API's problem+json body (a Problem), or, for an answer that is not one (a
 * proxy's error page), the status line only.
 */
export type ErrorProblem = Partial<Problem> & Pick<Problem, 'status'>;

/** An HTTP error answer from the API, carrying its problem+json body. */
export class ApiError extends Error {
  readonly problem: ErrorProblem;
  /** The session the request was sent in (see startSession). */
  readonly session: number;

  constructor(problem: ErrorProblem, sentInSession: number = session) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ApiError';
    this.problem = problem;
    this.session = sentInSession;
  }

  /** Whether the request was sent in the current session. */
  get current(): boolean {
    return this.session === session;
  }

  get status(): number {
    return this.problem.status;
  }
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

/** Calls the same-origin API with the session cookie; throws ApiError for any non-2xx answer. */
export async function apiFetch<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const sentInSession = session;
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(path, {
    method: options.method ?? 'GET',
    headers,
    body,
    credentials: 'same-origin',
    signal: options.signal,
  });
  if (!response.ok) {
    throw new ApiError(await readProblem(response), sentInSession);
  }
  if (response.status === 204) {
    return undefined as T;
  }
  return (await response.json()) as T;
}

/**
 * Fetches a file from the API (such as a CSV report) as apiFetch calls it, with the session cookie;
 * throws ApiError for any non-2xx answer. accept names the file's media type.
 */
export async function apiDownload(
  path: string,
  accept: string,
  options: { signal?: AbortSignal } = {},
): Promise<Blob> {
  const sentInSession = session;
  const response = await fetch(path, {
    method: 'GET',
    headers: { Accept: `${accept}, application/problem+json` },
    credentials: 'same-origin',
    signal: options.signal,
  });
  if (!response.ok) {
    throw new ApiError(await readProblem(response), sentInSession);
  }
  return response.blob();
}

async function readProblem(response: Response): Promise<ErrorProblem> {
  const fallback: ErrorProblem = {
    status: response.status,
    title: response.statusText || `HTTP ${response.status}`,
  };
  try {
    const parsed: unknown = JSON.parse(await response.text());
    if (parsed !== null && typeof parsed === 'object') {
      return { ...fallback, ...(parsed as Partial<Problem>), status: response.status };
    }
  } catch {
    // Not JSON (e.g. a proxy's HTML error page): the status line is all there is.
  }
  return fallback;
}

/** Appends the non-empty query parameters to path. */
export function withQuery(
  path: string,
  params: Record<string, string | number | null | undefined>,
) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') {
      search.set(key, String(value));
    }
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}
