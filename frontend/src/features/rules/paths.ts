/** Dashboard paths of a tenant's replication rules. */
export const rulesPage = (tenantId: string) => `/tenants/${encodeURIComponent(tenantId)}/rules`;

export const rulePage = (tenantId: string, ruleId: string) =>
  `${rulesPage(tenantId)}/${encodeURIComponent(ruleId)}`;

export const importRulesPage = (tenantId: string) => `${rulesPage(tenantId)}/import`;

/** The id of the failed objects' heading on the rule page. */
export const FAILED_OBJECTS_ANCHOR = 'failed-objects';

/** The rule page, scrolled to its failed objects. */
export const ruleFailedObjectsPage = (tenantId: string, ruleId: string) =>
  `${rulePage(tenantId, ruleId)}#${FAILED_OBJECTS_ANCHOR}`;
