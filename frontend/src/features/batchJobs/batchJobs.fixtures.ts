import type { BatchJob, Me } from '../../api/types';
import { json } from '../../test/fetchStub';
import { TENANT_ID } from '../../test/renderApp';
import { logsRule, photosRule, stubRulesApi } from '../rules/rules.fixtures';

export const batchJobsPath = `/api/v1/tenants/${TENANT_ID}/batch-jobs`;

/** A filter job of the photos rule, half way, with a completion report to a bucket. */
export const runningJob: BatchJob = {
  id: 'job-1',
  ruleId: photosRule.id,
  description: 'Backfill 2025 photos',
  status: 'RUNNING',
  statusDetail: null,
  filter: {
    replicationStatuses: ['NONE', 'FAILED'],
    createdAfter: '2025-01-01T00:00:00Z',
    createdBefore: null,
    prefix: 'raw/2025/',
  },
  destinations: ['photos-dr'],
  manifest: { source: 'GENERATED', trustId: null, bucket: null, key: null, versionId: null },
  report: { trustId: 'trust-2', bucket: 'reports', prefix: 'batch/', scope: 'FAILED_TASKS_ONLY' },
  reportLocation: null,
  reportError: null,
  totalObjects: 40,
  pending: 10,
  succeeded: 25,
  failed: 3,
  skipped: 2,
  createdAt: '2026-03-07T09:00:00Z',
  createdBy: 'ada@example.com',
  startedAt: '2026-03-07T09:00:05Z',
  completedAt: null,
};

/** An uploaded-manifest job of the logs rule, ended, without description or report. */
export const completedJob: BatchJob = {
  id: 'job-2',
  ruleId: logsRule.id,
  description: null,
  status: 'COMPLETED',
  statusDetail: null,
  filter: null,
  destinations: ['logs-archive'],
  manifest: { source: 'UPLOADED', trustId: null, bucket: null, key: null, versionId: null },
  report: null,
  reportLocation: null,
  reportError: null,
  totalObjects: 100,
  pending: 0,
  succeeded: 100,
  failed: 0,
  skipped: 0,
  createdAt: '2026-03-06T09:00:00Z',
  createdBy: 'ops-token',
  startedAt: '2026-03-06T09:00:02Z',
  completedAt: '2026-03-06T09:30:00Z',
};

/** Stubs what the rules fixtures stub, the jobs list (both jobs) and both jobs' details. */
export function stubBatchJobsApi(me: Me, extra: Parameters<typeof stubRulesApi>[1] = {}) {
  return stubRulesApi(me, {
    [`GET ${batchJobsPath}`]: () =>
      json(200, { items: [runningJob, completedJob], nextCursor: null }),
    [`GET ${batchJobsPath}/${runningJob.id}`]: () => json(200, runningJob),
    [`GET ${batchJobsPath}/${completedJob.id}`]: () => json(200, completedJob),
    ...extra,
  });
}
