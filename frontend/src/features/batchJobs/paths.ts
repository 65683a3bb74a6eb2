import { withQuery } from '../../api/client';

/** Dashboard paths of a tenant's batch replication jobs. */
export const batchJobsPage = (tenantId: string) =>
  `/tenants/${encodeURIComponent(tenantId)}/batch-jobs`;

export const batchJobPage = (tenantId: string, jobId: string) =>
  `${batchJobsPage(tenantId)}/${encodeURIComponent(jobId)}`;

/** The new-job form, with the rule chosen when ruleId is given. */
export const newBatchJobPage = (tenantId: string, ruleId?: string) =>
  withQuery(`${batchJobsPage(tenantId)}/new`, { ruleId });

/** The list, showing only the jobs of one rule. */
export const ruleBatchJobsPage = (tenantId: string, ruleId: string) =>
  withQuery(batchJobsPage(tenantId), { ruleId });
