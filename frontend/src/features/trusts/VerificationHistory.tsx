import { Accordion, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import type { Trust } from '../../api/types';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useTrustVerifications } from './api';
import { VerificationSummary } from './VerificationBadge';
import { VerifyResults } from './VerifyResults';

/** The newest verification of each bucket verified through the trust, kept by the server. */
export function VerificationHistory({ tenantId, trust }: { tenantId: string; trust: Trust }) {
  const verifications = useTrustVerifications(tenantId, trust.id);
  const items = verifications.data?.items ?? [];
  return (
    <Paper withBorder p="md" maw={800} data-testid="verification-history">
      <Stack gap="sm">
        <Title order={2} size="h3">
          Verified buckets
        </Title>
        <Text size="sm">
          The newest verification of each bucket, newest first (the 20 most recent buckets). One
          made before the trust was last edited may no longer hold: verify the bucket again.
        </Text>
        <ProblemAlert error={verifications.error} />
        {verifications.isPending && <Loader size="xs" aria-label="Loading verifications" />}
        {verifications.isSuccess && items.length === 0 && (
          <Text size="sm">No bucket has been verified through this trust yet.</Text>
        )}
        {items.length > 0 && (
          <Accordion variant="contained" defaultValue={items[0]?.bucket ?? null}>
            {items.map((verification) => (
              <Accordion.Item key={verification.bucket} value={verification.bucket}>
                <Accordion.Control>
                  <VerificationSummary
                    verification={verification}
                    beforeLastChange={
                      Date.parse(verification.verifiedAt) < Date.parse(trust.updatedAt)
                    }
                  />
                </Accordion.Control>
                <Accordion.Panel>
                  <VerifyResults result={verification} testId="kept-verify-results" />
                </Accordion.Panel>
              </Accordion.Item>
            ))}
          </Accordion>
        )}
      </Stack>
    </Paper>
  );
}
