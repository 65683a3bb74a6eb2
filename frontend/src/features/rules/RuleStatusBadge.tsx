import { Badge } from '@mantine/core';
import type { RuleStatus } from '../../api/types';

export function RuleStatusBadge({ status }: { status: RuleStatus }) {
  return (
    <Badge variant="light" miw="max-content" color={status === 'ENABLED' ? 'green' : 'gray'}>
      {status}
    </Badge>
  );
}
