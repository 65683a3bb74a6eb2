import { Alert, Code, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { Trust } from '../../api/types';
import { CopyValueButton } from '../../components/CopyValueButton';

/** What the tenant must put on its role before Replicator can assume it. */
export function AssumeRoleSetup({ trust }: { trust: Trust }) {
  const policy = trust.trustPolicy ? JSON.stringify(trust.trustPolicy, null, 2) : null;
  return (
    <Paper withBorder p="md" maw={800}>
      <Stack gap="sm">
        <Title order={2} size="h3">
          Set up the role
        </Title>
        <Text size="sm">
          Replicator assumes <Code>{trust.roleArn}</Code> with this external ID. Replicator
          generated it for this trust, and it cannot be chosen, so nobody else can make Replicator
          act on your role (the confused-deputy problem). Put the trust policy below on the role
          (IAM → Roles → Trust relationships), and give the role the S3 permissions replication
          needs.
        </Text>
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm" fw={600}>
            External ID
          </Text>
          {trust.externalId && <CopyValueButton value={trust.externalId} what="external ID" />}
        </Group>
        <Code block data-testid="external-id" style={{ wordBreak: 'break-all' }}>
          {trust.externalId ?? '—'}
        </Code>
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm" fw={600}>
            Trust policy
          </Text>
          {policy && <CopyValueButton value={policy} what="trust policy" />}
        </Group>
        {policy ? (
          <Code block data-testid="trust-policy">
            {policy}
          </Code>
        ) : (
          <Alert color="yellow" title="No trust policy" data-testid="trust-policy-note">
            {trust.trustPolicyNote ?? 'The trust policy could not be built.'}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
