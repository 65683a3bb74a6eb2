import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../api/client';
import { pagePath } from '../../api/paging';
import type { CreatedToken, CreateToken, TokenPage } from '../../api/types';

const tokensPath = (tenantId: string) => `/api/v1/tenants/${encodeURIComponent(tenantId)}/tokens`;

const tokenKeys = {
  all: (tenantId: string) => ['tokens', tenantId] as const,
  list: (tenantId: string, cursor: string | null) => ['tokens', tenantId, { cursor }] as const,
};

export function useTokens(tenantId: string, cursor: string | null) {
  return useQuery({
    queryKey: tokenKeys.list(tenantId, cursor),
    queryFn: ({ signal }) =>
      apiFetch<TokenPage>(pagePath(tokensPath(tenantId), cursor), { signal }),
    placeholderData: keepPreviousData,
  });
}

/** Resolves to the created token including its secret, which no later request returns. */
export function useCreateToken(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (token: CreateToken) =>
      apiFetch<CreatedToken>(tokensPath(tenantId), { method: 'POST', body: token }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokenKeys.all(tenantId) }),
  });
}

export function useRevokeToken(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (tokenId: string) =>
      apiFetch<void>(`${tokensPath(tenantId)}/${encodeURIComponent(tokenId)}`, {
        method: 'DELETE',
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokenKeys.all(tenantId) }),
  });
}
