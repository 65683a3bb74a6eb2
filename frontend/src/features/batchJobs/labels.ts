import type {
  BatchJob,
  BatchJobStatus,
  BatchReplicationStatus,
  BatchReportScope,
} from '../../api/types';

export const JOB_STATUS_COLORS: Record<BatchJobStatus, string> = {
  PREPARING: 'cyan',
  RUNNING: 'blue',
  COMPLETED: 'green',
  FAILED: 'red',
  CANCELLED: 'gray',
};

/** How a COMPLETED job with failed tasks is shown. */
export const COMPLETED_WITH_FAILURES = 'COMPLETED WITH FAILURES';
export const COMPLETED_WITH_FAILURES_COLOR = 'orange';
export const COMPLETED_WITH_FAILURES_HELP =
  "Every task ended, and some failed: the rule's failed objects and the job's report say which and why. Fix the cause, then retry them.";

/** What each job status means, for the help on the job's page. */
export const JOB_STATUS_HELP: Record<BatchJobStatus, string> = {
  PREPARING:
    'Building the manifest: listing the source bucket for the filter, or reading the manifest. Tasks are replicated as they are found, so the total grows until preparation ends.',
  RUNNING: 'Every task is known; the remaining ones are being replicated.',
  COMPLETED: 'Every task has finished, and none failed.',
  FAILED:
    'The job could not go on, for instance because the manifest could not be read; the detail says why. Tasks already finished stay as they are.',
  CANCELLED:
    'Stopped on request. Replicas already written stay; the tasks not yet run are left as they were before the job.',
};

/** What each replication status picks, as S3 Batch Replication's eligibility filter describes it. */
export const REPLICATION_STATUS_HELP: Record<BatchReplicationStatus, string> = {
  NONE: 'Never replicated by this rule, e.g. written before the rule existed.',
  FAILED: 'Replication failed before: retry them once the cause is fixed.',
  COMPLETED: 'Replicated already: replicate them again, e.g. to a destination added later.',
  REPLICA: 'Objects that are themselves replicas, which live replication never copies.',
};

export const REPORT_SCOPE_LABELS: Record<BatchReportScope, string> = {
  ALL_TASKS: 'All tasks',
  FAILED_TASKS_ONLY: 'Failed tasks only',
};

/** How a job was told which versions to replicate. */
export function manifestLabel(manifest: BatchJob['manifest']): string {
  switch (manifest.source) {
    case 'GENERATED':
      return 'Generated from the filter';
    case 'UPLOADED':
      return 'Uploaded CSV';
    case 'BUCKET':
      return `s3://${manifest.bucket ?? ''}/${manifest.key ?? ''}`;
  }
}

/** The job's description, or its ID's start where it has none. */
export function jobTitle(job: BatchJob): string {
  return job.description ?? `Job ${job.id.slice(0, 8)}`;
}

/** Whether the job is still going: its counts and status change until it ends. */
export function isActive(job: BatchJob): boolean {
  return job.status === 'PREPARING' || job.status === 'RUNNING';
}

/** Tasks that have finished one way or another. */
export function finishedTasks(job: BatchJob): number {
  return job.succeeded + job.failed + job.skipped;
}
