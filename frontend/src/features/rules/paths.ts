/** Dashboard paths of a tenant's replication rules. */
export const rulesPage = (tenantId: string) => `/tenants/${encodeURIComponent(tenantId)}/rules`;

export const rulePage = (tenantId: string, ruleId: string) =>
  `${rulesPage(tenantId)}/${encodeURIComponent(ruleId)}`;

export const importRulesPage = (tenantId: string) => `${rulesPage(tenantId)}/import`;

/** The id of the objects list's heading on the rule page. */
export const OBJECTS_ANCHOR = 'objects';

/** The rule page, scrolled to its failed objects. */
export const ruleFailedObjectsPage = (tenantId: string, ruleId: string) =>
  `${rulePage(tenantId, ruleId)}?objectStatus=FAILED#${OBJECTS_ANCHOR}`;
