import { useParams } from 'react-router';

/** The :tenantId of the current route; only for pages under /tenants/:tenantId. */
export function useTenantId(): string {
  const { tenantId } = useParams();
  if (!tenantId) {
    throw new Error('useTenantId() used outside a /tenants/:tenantId route');
  }
  return tenantId;
}
