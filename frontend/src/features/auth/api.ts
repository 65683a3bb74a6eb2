import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { apiFetch, startSession } from '../../api/client';
import type { Login, Me } from '../../api/types';

export const meQuery = queryOptions({
  queryKey: ['auth', 'me'],
  queryFn: ({ signal }) => apiFetch<Me>('/api/v1/auth/me', { signal }),
  staleTime: 60_000,
});

export function useMe() {
  return useQuery(meQuery);
}

/** Signs in, forgets whatever a previous session had cached, and resolves to the new principal. */
export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (credentials: Login) => {
      await apiFetch<Me>('/api/v1/auth/login', { method: 'POST', body: credentials });
      startSession();
      queryClient.removeQueries();
      return queryClient.fetchQuery(meQuery);
    },
    meta: { expectsUnauthorized: true },
  });
}

/** Signs out and returns to /login, dropping everything cached for the session (even if the session had already ended). */
export function useLogout() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => apiFetch<void>('/api/v1/auth/logout', { method: 'POST' }),
    meta: { expectsUnauthorized: true },
    onSettled: async () => {
      startSession();
      await navigate('/login', { replace: true });
      queryClient.removeQueries();
    },
  });
}
