import { Badge, Code, Group, List, Stack, Text, ThemeIcon } from '@mantine/core';
import type { TrustCheck, TrustVerification } from '../../api/types';

interface VerifyResultsProps {
  bucket: string;
  result: TrustVerification;
}

/** The outcome of verifying a bucket: overall state, then each check with what to fix. */
export function VerifyResults({ bucket, result }: VerifyResultsProps) {
  return (
    <Stack gap="sm" data-testid="verify-results">
      <Group gap="sm">
        <Text size="sm">
          Bucket <Code>{bucket}</Code>
        </Text>
        <Badge color={result.ok ? 'teal' : 'red'} tt="none" data-testid="verify-overall">
          {result.ok ? 'OK' : 'Needs attention'}
        </Badge>
        {result.accountId && (
          <Text size="sm" c="dimmed" data-testid="verify-account">
            Account {result.accountId}
          </Text>
        )}
      </Group>
      <List spacing="xs" listStyleType="none" aria-label="Checks">
        {result.checks.map((check) => (
          <CheckRow key={check.name} check={check} />
        ))}
      </List>
    </Stack>
  );
}

function CheckRow({ check }: { check: TrustCheck }) {
  return (
    <List.Item
      data-testid="verify-check"
      data-ok={check.ok}
      icon={
        <ThemeIcon
          color={check.ok ? 'teal' : 'red'}
          size={22}
          radius="xl"
          role="img"
          aria-label={check.ok ? 'Passed' : 'Failed'}
        >
          {check.ok ? '✓' : '✗'}
        </ThemeIcon>
      }
    >
      <Text size="sm" fw={600} span>
        {check.name}
      </Text>
      <Text size="sm" c={check.ok ? 'dimmed' : undefined}>
        {check.detail}
      </Text>
    </List.Item>
  );
}
