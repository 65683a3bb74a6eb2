import { Button, Code, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { BucketRef } from '../../api/types';
import { CopyValueButton } from '../../components/CopyValueButton';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useRulesExport } from './api';

interface AwsConfigurationPanelProps {
  tenantId: string;
  source: BucketRef;
}

/** The source bucket's rules as AWS replication JSON, fetched on request. */
export function AwsConfigurationPanel({ tenantId, source }: AwsConfigurationPanelProps) {
  const [shown, setShown] = useState(false);
  const configuration = useRulesExport(tenantId, source, shown);
  const text = configuration.data ? JSON.stringify(configuration.data, null, 2) : null;
  return (
    <Paper withBorder p="md" maw={800}>
      <Stack gap="sm">
        <Title order={2} size="h3">
          AWS configuration
        </Title>
        <Text size="sm" c="dimmed">
          The replication configuration of bucket <Code>{source.bucket}</Code> in the format of{' '}
          <Code>aws s3api get-bucket-replication</Code>. It includes every rule of this source
          bucket, not only this one.
        </Text>
        <Group>
          <Button size="xs" variant="light" onClick={() => setShown((value) => !value)}>
            {shown ? 'Hide AWS JSON' : 'Show AWS JSON'}
          </Button>
          {shown && text && <CopyValueButton value={text} what="AWS JSON" />}
        </Group>
        {shown && configuration.isFetching && !text && <Loader size="sm" aria-label="Loading" />}
        {shown && <ProblemAlert error={configuration.error} />}
        {shown && text && (
          <Code block data-testid="aws-json">
            {text}
          </Code>
        )}
      </Stack>
    </Paper>
  );
}
