import { Badge } from '@mantine/core';
import type { BatchJobStatus } from '../../api/types';
import { JOB_STATUS_COLORS } from './labels';

export function BatchJobStatusBadge({ status }: { status: BatchJobStatus }) {
  return (
    <Badge variant="light" miw="max-content" color={JOB_STATUS_COLORS[status]}>
      {status}
    </Badge>
  );
}
