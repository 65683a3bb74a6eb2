import { Alert, Code, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { CopyValueButton } from '../../components/CopyValueButton';

interface WebhookSecretProps {
  title: string;
  secret: string;
  /** What to do next: open the webhook, or dismiss the secret. */
  children: ReactNode;
}

/** The one time a webhook's signing secret is shown: no later response carries it. */
export function WebhookSecret({ title, secret, children }: WebhookSecretProps) {
  return (
    <Alert color="yellow" title={title} maw={800}>
      <Text size="sm" fw={600}>
        Copy this signing secret now. It will not be shown again.
      </Text>
      <Text size="sm">
        Your endpoint needs it to check the X-Replicator-Signature header of every event. If it is
        lost, rotate the secret on the webhook&apos;s page to get a new one.
      </Text>
      <Group gap="xs" my="sm" wrap="nowrap" align="center">
        <Code block data-testid="webhook-secret" style={{ wordBreak: 'break-all', flex: 1 }}>
          {secret}
        </Code>
        <CopyValueButton value={secret} what="signing secret" />
      </Group>
      <Group gap="xs">{children}</Group>
    </Alert>
  );
}
