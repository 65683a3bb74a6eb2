/** Dashboard paths of a tenant's webhooks. */
export const webhooksPage = (tenantId: string) =>
  `/tenants/${encodeURIComponent(tenantId)}/webhooks`;

export const newWebhookPage = (tenantId: string) => `${webhooksPage(tenantId)}/new`;

export const webhookPage = (tenantId: string, webhookId: string) =>
  `${webhooksPage(tenantId)}/${encodeURIComponent(webhookId)}`;

export const editWebhookPage = (tenantId: string, webhookId: string) =>
  `${webhookPage(tenantId, webhookId)}/edit`;
