import { useParams } from 'react-router';

/** The :webhookId of the current route; only for pages under /tenants/:tenantId/webhooks/:webhookId. */
export function useWebhookId(): string {
  const { webhookId } = useParams();
  if (!webhookId) {
    throw new Error('useWebhookId() used outside a /tenants/:tenantId/webhooks/:webhookId route');
  }
  return webhookId;
}
