import { vi } from 'vitest';

export interface StubRequest {
  method: string;
  path: string;
  searchParams: URLSearchParams;
  body: unknown;
}

type Handler = (request: StubRequest) => Response | Promise<Response>;

/**
 * Replaces the global fetch with a table of handlers keyed "METHOD /path" (query string ignored).
 * Returns the requests seen, in order. An unexpected request answers 501 so the test fails visibly.
 */
export function stubFetch(handlers: Record<string, Handler>): StubRequest[] {
  const requests: StubRequest[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input), 'http://localhost');
      const request: StubRequest = {
        method: init?.method ?? 'GET',
        path: url.pathname,
        searchParams: url.searchParams,
        body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      };
      requests.push(request);
      const handler = handlers[`${request.method} ${request.path}`];
      return handler
        ? handler(request)
        : problem(501, `No stub for ${request.method} ${request.path}`);
    }),
  );
  return requests;
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

export function problem(
  status: number,
  detail: string,
  title = 'Request failed',
  errors?: { field: string; message: string }[],
): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title, status, detail, errors }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
}
