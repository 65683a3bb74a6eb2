import { Badge, Group, Stack, Text } from '@mantine/core';
import type { TrustLastVerification, VerificationReport } from '../../api/types';
import { Timestamp } from '../../components/Timestamp';

type Outcome = Pick<TrustLastVerification, 'ok'> & { beforeLastChange?: boolean };

/** A verification's outcome in words and colour; one made before the trust was edited is stale. */
export function VerificationBadge({ outcome }: { outcome: Outcome | null }) {
  if (!outcome) {
    return (
      <Badge variant="light" color="gray" tt="none" miw="max-content">
        Not verified
      </Badge>
    );
  }
  if (outcome.beforeLastChange) {
    return (
      <Badge variant="light" color="yellow" tt="none" miw="max-content">
        {outcome.ok ? 'Verified before the last edit' : 'Failed before the last edit'}
      </Badge>
    );
  }
  return (
    <Badge variant="light" color={outcome.ok ? 'teal' : 'red'} tt="none" miw="max-content">
      {outcome.ok ? 'Verified' : 'Needs attention'}
    </Badge>
  );
}

/** The trusts list's cell: the last verification's outcome, bucket and time. */
export function LastVerification({ last }: { last: TrustLastVerification | null }) {
  return (
    <Stack gap={2} data-testid="last-verification">
      <VerificationBadge outcome={last} />
      {last && (
        <Text size="xs">
          {last.bucket} · <Timestamp value={last.verifiedAt} />
        </Text>
      )}
    </Stack>
  );
}

/** One kept verification's heading: bucket, outcome and when. */
export function VerificationSummary({
  verification,
  beforeLastChange,
}: {
  verification: VerificationReport;
  beforeLastChange: boolean;
}) {
  return (
    <Group gap="sm">
      <Text size="sm" fw={600}>
        {verification.bucket}
      </Text>
      <VerificationBadge outcome={{ ok: verification.ok, beforeLastChange }} />
      <Text size="xs">
        <Timestamp value={verification.verifiedAt} />
      </Text>
    </Group>
  );
}
