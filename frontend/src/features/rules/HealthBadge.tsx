import { Badge, Tooltip } from '@mantine/core';
import type { HealthState } from '../../api/types';

/** A colour (the theme darkens filled ones for white text, WCAG AA) and a word for each state: colour is never the only signal. */
const LOOK: Record<HealthState, { color: string; label: string; meaning: string }> = {
  HEALTHY: {
    color: 'green',
    label: 'Healthy',
    meaning:
      'Nothing failed in the last hour, nothing is stuck, and the lag is within the threshold.',
  },
  LAGGING: {
    color: 'orange',
    label: 'Lagging',
    meaning: 'The oldest pending version is older than the replication-time threshold.',
  },
  FAILING: {
    color: 'red',
    label: 'Failing',
    meaning:
      'A version failed in the last hour, or pending versions keep failing their attempts and are being retried.',
  },
  PAUSED: {
    color: 'gray',
    label: 'Paused',
    meaning: 'The rule is disabled: nothing is replicated until it is enabled.',
  },
};

export function HealthBadge({ state }: { state: HealthState }) {
  const look = LOOK[state];
  return (
    <Tooltip label={look.meaning} multiline w={260} withArrow>
      <Badge
        variant="filled"
        color={look.color}
        miw="max-content"
        aria-label={`${look.label}: ${look.meaning}`}
      >
        {look.label}
      </Badge>
    </Tooltip>
  );
}
