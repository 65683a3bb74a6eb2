import { Badge } from '@mantine/core';
import type { BatchJobStatus } from '../../api/types';
import {
  COMPLETED_WITH_FAILURES,
  COMPLETED_WITH_FAILURES_COLOR,
  JOB_STATUS_COLORS,
} from './labels';

/** A job's status; a completed job with failed tasks says so, in the warning colour. */
export function BatchJobStatusBadge({
  status,
  failed = 0,
}: {
  status: BatchJobStatus;
  failed?: number;
}) {
  const withFailures = status === 'COMPLETED' && failed > 0;
  return (
    <Badge
      variant="light"
      miw="max-content"
      color={withFailures ? COMPLETED_WITH_FAILURES_COLOR : JOB_STATUS_COLORS[status]}
    >
      {withFailures ? COMPLETED_WITH_FAILURES : status}
    </Badge>
  );
}
