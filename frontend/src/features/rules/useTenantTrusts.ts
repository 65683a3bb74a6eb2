import { useMemo } from 'react';
import { useTrusts } from '../trusts/api';

/**
 * The tenant's trusts (the first page of the trusts list, as the trusts page shows it), and the name
 * of a trust by id, falling back to the id for a trust not (or not yet) loaded.
 */
export function useTenantTrusts(tenantId: string) {
  const trusts = useTrusts(tenantId, null);
  const items = trusts.data?.items;
  const nameOf = useMemo(() => {
    const names = new Map(items?.map((trust) => [trust.id, trust.name]));
    return (trustId: string) => names.get(trustId) ?? trustId;
  }, [items]);
  return { trusts: items, nameOf, isPending: trusts.isPending, error: trusts.error };
}
