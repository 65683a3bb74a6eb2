import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from './client';

declare module '@tanstack/react-query' {
  interface Register {
    queryMeta: RequestMeta;
    mutationMeta: RequestMeta;
  }
}

interface RequestMeta extends Record<string, unknown> {
  /** Set where a 401 is an expected answer (signing in) rather than a lost session. */
  expectsUnauthorized?: boolean;
}

/** A 4xx will be refused again: only server errors and network failures are worth retrying. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status < 500) {
    return false;
  }
  return failureCount < 2;
}

export function createQueryClient({ onUnauthorized }: { onUnauthorized: () => void }) {
  const handleError = (error: unknown, meta: RequestMeta | undefined) => {
    // A late 401 for a request of an earlier session (sent before signing out and in again) is not this one's end.
    if (isApiError(error, 401) && error.current && !meta?.expectsUnauthorized) {
      onUnauthorized();
    }
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => handleError(error, query.meta) }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => handleError(error, mutation.meta),
    }),
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 10_000 },
      mutations: { retry: false },
    },
  });
}
