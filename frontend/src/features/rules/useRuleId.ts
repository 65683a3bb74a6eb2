import { useParams } from 'react-router';

/** The :ruleId of the current route; only for pages under /tenants/:tenantId/rules/:ruleId. */
export function useRuleId(): string {
  const { ruleId } = useParams();
  if (!ruleId) {
    throw new Error('useRuleId() used outside a /tenants/:tenantId/rules/:ruleId route');
  }
  return ruleId;
}
