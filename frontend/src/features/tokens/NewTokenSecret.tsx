import { Alert, Button, Code, CopyButton, Group, Text } from '@mantine/core';
import type { CreatedToken } from '../../api/types';

interface NewTokenSecretProps {
  token: CreatedToken;
  onDismiss: () => void;
}

/** The one time a token's secret is shown: the server keeps only its hash. */
export function NewTokenSecret({ token, onDismiss }: NewTokenSecretProps) {
  return (
    <Alert color="yellow" title={`New API token "${token.name}" (${token.role})`}>
      <Text size="sm" fw={600}>
        Copy this token now. It will not be shown again.
      </Text>
      <Code block my="sm" data-testid="new-token-secret" style={{ wordBreak: 'break-all' }}>
        {token.token}
      </Code>
      <Group gap="xs">
        <CopyButton value={token.token}>
          {({ copied, copy }) => (
            <Button size="xs" color={copied ? 'teal' : 'yellow'} onClick={copy}>
              {copied ? 'Copied' : 'Copy token'}
            </Button>
          )}
        </CopyButton>
        <Button size="xs" variant="default" onClick={onDismiss}>
          Done
        </Button>
      </Group>
    </Alert>
  );
}
