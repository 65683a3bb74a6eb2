import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiFetch, withQuery } from '../../api/client';
import { PAGE_SIZE } from '../../api/paging';
import type { AuditEntryPage } from '../../api/types';
import type { AuditFilter } from './auditFilter';

export function useAuditLog(tenantId: string, filter: AuditFilter, cursor: string | null) {
  return useQuery({
    queryKey: ['audit', tenantId, { ...filter, cursor }],
    queryFn: ({ signal }) =>
      apiFetch<AuditEntryPage>(
        withQuery(`/api/v1/tenants/${encodeURIComponent(tenantId)}/audit`, {
          limit: PAGE_SIZE,
          cursor,
          ...filter,
        }),
        { signal },
      ),
    placeholderData: keepPreviousData,
  });
}
