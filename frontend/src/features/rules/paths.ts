/** Dashboard paths of a tenant's replication rules. */
export const rulesPage = (tenantId: string) => `/tenants/${encodeURIComponent(tenantId)}/rules`;

export const rulePage = (tenantId: string, ruleId: string) =>
  `${rulesPage(tenantId)}/${encodeURIComponent(ruleId)}`;

export const importRulesPage = (tenantId: string) => `${rulesPage(tenantId)}/import`;
