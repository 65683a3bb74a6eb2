import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiDownload, apiFetch, withQuery } from '../../api/client';
import { saveFile } from '../../api/download';
import { PAGE_SIZE } from '../../api/paging';
import { pollInterval } from '../../api/polling';
import type {
  BatchJob,
  BatchJobPage,
  BatchJobRequest,
  BatchJobStatus,
  BatchReportScope,
} from '../../api/types';
import { isActive } from './labels';

const batchJobsPath = (tenantId: string) =>
  `/api/v1/tenants/${encodeURIComponent(tenantId)}/batch-jobs`;
const batchJobPath = (tenantId: string, jobId: string) =>
  `${batchJobsPath(tenantId)}/${encodeURIComponent(jobId)}`;

/** Which jobs a list shows: null for any rule or status. */
export interface BatchJobsFilter {
  ruleId: string | null;
  status: BatchJobStatus | null;
}

const batchJobKeys = {
  lists: (tenantId: string) => ['batchJobs', tenantId, 'list'] as const,
  list: (tenantId: string, filter: BatchJobsFilter, cursor: string | null) =>
    ['batchJobs', tenantId, 'list', { ...filter, cursor }] as const,
  detail: (tenantId: string, jobId: string) => ['batchJobs', tenantId, 'detail', jobId] as const,
};

/** How often jobs are fetched again while one is being prepared or run. */
export const BATCH_JOB_POLL_MS = 2000;

/** Whether any job of a list page is still going, so that the page is worth polling. */
export function hasActiveJobs(page: BatchJobPage | undefined): boolean {
  return page?.items.some(isActive) ?? false;
}

/**
 * One page of jobs, newest first; polled every BATCH_JOB_POLL_MS while any of them is being prepared or run, else
 * every IDLE_POLL_MS (a job created through the API shows), only while the tab is visible.
 */
export function useBatchJobs(tenantId: string, filter: BatchJobsFilter, cursor: string | null) {
  return useQuery({
    queryKey: batchJobKeys.list(tenantId, filter, cursor),
    queryFn: ({ signal }) =>
      apiFetch<BatchJobPage>(
        withQuery(batchJobsPath(tenantId), { ...filter, cursor, limit: PAGE_SIZE }),
        { signal },
      ),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => pollInterval(hasActiveJobs(query.state.data), BATCH_JOB_POLL_MS),
    refetchIntervalInBackground: false,
  });
}

/**
 * One job; polled every BATCH_JOB_POLL_MS while it is being prepared or run, else every IDLE_POLL_MS (its report
 * location is written after it ends), only while the tab is visible.
 */
export function useBatchJob(tenantId: string, jobId: string) {
  return useQuery({
    queryKey: batchJobKeys.detail(tenantId, jobId),
    queryFn: ({ signal }) => apiFetch<BatchJob>(batchJobPath(tenantId, jobId), { signal }),
    refetchInterval: (query) => {
      const job = query.state.data;
      return pollInterval(job !== undefined && isActive(job), BATCH_JOB_POLL_MS);
    },
    refetchIntervalInBackground: false,
  });
}

/** After a change, lists are stale; the changed job's detail is set from the answer. */
function useStoreJob(tenantId: string) {
  const queryClient = useQueryClient();
  return (job: BatchJob) => {
    queryClient.setQueryData(batchJobKeys.detail(tenantId, job.id), job);
    return queryClient.invalidateQueries({ queryKey: batchJobKeys.lists(tenantId) });
  };
}

export function useCreateBatchJob(tenantId: string) {
  const storeJob = useStoreJob(tenantId);
  return useMutation({
    mutationFn: (job: BatchJobRequest) =>
      apiFetch<BatchJob>(batchJobsPath(tenantId), { method: 'POST', body: job }),
    onSuccess: storeJob,
  });
}

/** Stops a job being prepared or run; the server refuses (409) one that has already ended. */
export function useCancelBatchJob(tenantId: string, jobId: string) {
  const storeJob = useStoreJob(tenantId);
  return useMutation({
    mutationFn: () =>
      apiFetch<BatchJob>(`${batchJobPath(tenantId, jobId)}/cancel`, { method: 'POST' }),
    onSuccess: storeJob,
  });
}

/** The file name a job's report is saved as. */
export const reportFileName = (jobId: string) => `batch-job-${jobId}-report.csv`;

/** Downloads the job's report (a CSV row per task) with the session's cookie, and saves it. */
export function useDownloadBatchJobReport(tenantId: string, jobId: string) {
  return useMutation({
    mutationFn: async (scope: BatchReportScope) => {
      const csv = await apiDownload(
        withQuery(`${batchJobPath(tenantId, jobId)}/report`, { scope }),
        'text/csv',
      );
      saveFile(csv, reportFileName(jobId));
    },
  });
}
