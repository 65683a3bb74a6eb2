import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../api/client';
import { pagePath } from '../../api/paging';
import type {
  CreateTrust,
  Trust,
  TrustPage,
  UpdateTrust,
  VerificationList,
  VerificationReport,
  VerifyRequest,
} from '../../api/types';

const trustsPath = (tenantId: string) => `/api/v1/tenants/${encodeURIComponent(tenantId)}/trusts`;
const trustPath = (tenantId: string, trustId: string) =>
  `${trustsPath(tenantId)}/${encodeURIComponent(trustId)}`;

const trustKeys = {
  lists: (tenantId: string) => ['trusts', tenantId, 'list'] as const,
  list: (tenantId: string, cursor: string | null) =>
    ['trusts', tenantId, 'list', { cursor }] as const,
  detail: (tenantId: string, trustId: string) => ['trusts', tenantId, 'detail', trustId] as const,
  verifications: (tenantId: string, trustId: string) =>
    ['trusts', tenantId, 'verifications', trustId] as const,
  all: (tenantId: string) => ['trusts', tenantId] as const,
};

export function useTrusts(tenantId: string, cursor: string | null) {
  return useQuery({
    queryKey: trustKeys.list(tenantId, cursor),
    queryFn: ({ signal }) =>
      apiFetch<TrustPage>(pagePath(trustsPath(tenantId), cursor), { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useTrust(tenantId: string, trustId: string) {
  return useQuery({
    queryKey: trustKeys.detail(tenantId, trustId),
    queryFn: ({ signal }) => apiFetch<Trust>(trustPath(tenantId, trustId), { signal }),
  });
}

export function useCreateTrust(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (trust: CreateTrust) =>
      apiFetch<Trust>(trustsPath(tenantId), { method: 'POST', body: trust }),
    onSuccess: (trust) => {
      queryClient.setQueryData(trustKeys.detail(tenantId, trust.id), trust);
      return queryClient.invalidateQueries({ queryKey: trustKeys.lists(tenantId) });
    },
  });
}

export function useUpdateTrust(tenantId: string, trustId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (trust: UpdateTrust) =>
      apiFetch<Trust>(trustPath(tenantId, trustId), { method: 'PUT', body: trust }),
    onSuccess: (trust) => {
      queryClient.setQueryData(trustKeys.detail(tenantId, trustId), trust);
      return queryClient.invalidateQueries({ queryKey: trustKeys.lists(tenantId) });
    },
  });
}

/** Deletes the trust; the caller leaves its page first, so the deleted trust is not fetched again. */
export function useDeleteTrust(tenantId: string, trustId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<void>(trustPath(tenantId, trustId), { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trustKeys.lists(tenantId) }),
  });
}

/** The newest verification of each bucket verified through the trust, newest first. */
export function useTrustVerifications(tenantId: string, trustId: string) {
  return useQuery({
    queryKey: trustKeys.verifications(tenantId, trustId),
    queryFn: ({ signal }) =>
      apiFetch<VerificationList>(`${trustPath(tenantId, trustId)}/verifications`, {
        signal,
      }),
  });
}

/**
 * Probes a bucket through the trust without changing data; it can take a few seconds. The server
 * keeps the outcome, so the trust's last verification and its kept ones are fetched again.
 */
export function useVerifyTrust(tenantId: string, trustId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (bucket: string) =>
      apiFetch<VerificationReport>(`${trustPath(tenantId, trustId)}/verify`, {
        method: 'POST',
        body: { bucket } satisfies VerifyRequest,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trustKeys.all(tenantId) }),
  });
}
