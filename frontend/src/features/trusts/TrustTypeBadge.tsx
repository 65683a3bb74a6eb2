import { Badge } from '@mantine/core';
import type { TrustType } from '../../api/types';
import { TRUST_TYPE_LABELS } from './labels';

export function TrustTypeBadge({ type }: { type: TrustType }) {
  return (
    <Badge
      variant="light"
      miw="max-content"
      color={type === 'ASSUME_ROLE' ? 'grape' : 'blue'}
      title={TRUST_TYPE_LABELS[type]}
    >
      {type}
    </Badge>
  );
}
