import { useMemo } from 'react';
import { useRules } from './api';

/**
 * The tenant's rules (the first page of the rules list, as the rules page shows it), and the name of
 * a rule by id, falling back to the id for a rule not (or not yet) loaded.
 */
export function useTenantRules(tenantId: string) {
  const rules = useRules(tenantId, null);
  const items = rules.data?.items;
  const nameOf = useMemo(() => {
    const names = new Map(items?.map((rule) => [rule.id, rule.name]));
    return (ruleId: string) => names.get(ruleId) ?? ruleId;
  }, [items]);
  return { rules: items, nameOf, isPending: rules.isPending, error: rules.error };
}
