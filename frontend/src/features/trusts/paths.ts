/** Dashboard paths of a tenant's trusts. */
export const trustsPage = (tenantId: string) => `/tenants/${encodeURIComponent(tenantId)}/trusts`;

export const trustPage = (tenantId: string, trustId: string) =>
  `${trustsPage(tenantId)}/${encodeURIComponent(trustId)}`;
