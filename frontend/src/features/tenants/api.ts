import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../api/client';
import { pagePath } from '../../api/paging';
import type { CreateTenant, Tenant, TenantPage } from '../../api/types';

const tenantKeys = {
  lists: ['tenants'] as const,
  list: (cursor: string | null) => ['tenants', { cursor }] as const,
  detail: (tenantId: string) => ['tenant', tenantId] as const,
};

export function useTenants(cursor: string | null) {
  return useQuery({
    queryKey: tenantKeys.list(cursor),
    queryFn: ({ signal }) => apiFetch<TenantPage>(pagePath('/api/v1/tenants', cursor), { signal }),
    placeholderData: keepPreviousData,
  });
}

/** The tenants the platform administrator can switch between: the first 1,000 by creation. */
export function useTenantChoices() {
  return useQuery({
    queryKey: ['tenants', 'choices'],
    queryFn: ({ signal }) => apiFetch<TenantPage>('/api/v1/tenants?limit=1000', { signal }),
    staleTime: 60_000,
  });
}

/** One tenant; none is fetched for a null id. */
export function useTenant(tenantId: string | null) {
  return useQuery({
    queryKey: tenantKeys.detail(tenantId ?? ''),
    queryFn: ({ signal }) =>
      apiFetch<Tenant>(`/api/v1/tenants/${encodeURIComponent(tenantId ?? '')}`, { signal }),
    enabled: tenantId !== null,
    staleTime: 5 * 60_000,
  });
}

export function useCreateTenant() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (tenant: CreateTenant) =>
      apiFetch<Tenant>('/api/v1/tenants', { method: 'POST', body: tenant }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tenantKeys.lists }),
  });
}
