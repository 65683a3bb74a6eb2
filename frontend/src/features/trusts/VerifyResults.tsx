import { Badge, Code, Group, List, Stack, Text, ThemeIcon } from '@mantine/core';
import type { TrustCheck, TrustCheckState, VerificationReport } from '../../api/types';

interface VerifyResultsProps {
  result: VerificationReport;
  /** Distinguishes a kept verification's checks from those just made. */
  testId?: string;
}

const STATES: Record<TrustCheckState, { color: string; label: string; icon: string }> = {
  PASSED: { color: 'teal', label: 'Passed', icon: '✓' },
  FAILED: { color: 'red', label: 'Failed', icon: '✗' },
  UNDETERMINED: { color: 'yellow', label: 'Not determined', icon: '?' },
  NOT_CHECKED: { color: 'gray', label: 'Not checked', icon: '–' },
};

/** The outcome of verifying a bucket: overall state, then each check with what to fix. */
export function VerifyResults({ result, testId = 'verify-results' }: VerifyResultsProps) {
  const undetermined = result.checks.filter((check) => check.state === 'UNDETERMINED').length;
  return (
    <Stack gap="sm" data-testid={testId}>
      <Group gap="sm">
        <Text size="sm">
          Bucket <Code>{result.bucket}</Code>
        </Text>
        <Badge color={result.ok ? 'teal' : 'red'} tt="none" data-testid="verify-overall">
          {result.ok ? 'OK' : 'Needs attention'}
        </Badge>
        {undetermined > 0 && (
          <Badge color="yellow" tt="none" data-testid="verify-undetermined">
            {undetermined === 1
              ? '1 check not determined'
              : `${undetermined} checks not determined`}
          </Badge>
        )}
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
  const state = STATES[check.state] ?? (check.ok ? STATES.PASSED : STATES.FAILED);
  return (
    <List.Item
      data-testid="verify-check"
      data-ok={check.ok}
      data-state={check.state}
      icon={
        <ThemeIcon color={state.color} size={22} radius="xl" role="img" aria-label={state.label}>
          {state.icon}
        </ThemeIcon>
      }
    >
      <Text size="sm" fw={600} span>
        {check.name}
      </Text>
      <Text size="sm" c={check.state === 'PASSED' ? 'dimmed' : undefined}>
        {check.detail}
      </Text>
    </List.Item>
  );
}
