import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiFetch } from '../../api/client';
import { pagePath } from '../../api/paging';
import type { AuditEvent, Page } from '../../api/types';

export function useAuditLog(tenantId: string, cursor: string | null) {
  return useQuery({
    queryKey: ['audit', tenantId, { cursor }],
    queryFn: ({ signal }) =>
      apiFetch<Page<AuditEvent>>(
        pagePath(`/api/v1/tenants/${encodeURIComponent(tenantId)}/audit`, cursor),
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
}
