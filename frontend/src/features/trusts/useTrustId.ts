import { useParams } from 'react-router';

/** The :trustId of the current route; only for pages under /tenants/:tenantId/trusts/:trustId. */
export function useTrustId(): string {
  const { trustId } = useParams();
  if (!trustId) {
    throw new Error('useTrustId() used outside a /tenants/:tenantId/trusts/:trustId route');
  }
  return trustId;
}
