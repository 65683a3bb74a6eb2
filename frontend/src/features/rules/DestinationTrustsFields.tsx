import { NativeSelect, Stack, Text } from '@mantine/core';
import type { Trust } from '../../api/types';
import { trustOptions } from './TrustSelect';

interface DestinationTrustsFieldsProps {
  arns: string[];
  trusts: Trust[];
  /** The chosen trust id by destination bucket ARN. */
  value: Record<string, string>;
  onChange: (arn: string, trustId: string) => void;
  errors: Record<string, string>;
}

/** For each destination bucket ARN of the pasted configuration, a select (labelled with the ARN) of the trust that reaches it. */
export function DestinationTrustsFields({
  arns,
  trusts,
  value,
  onChange,
  errors,
}: DestinationTrustsFieldsProps) {
  if (arns.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        Paste the configuration above to choose the trust that reaches each destination bucket.
      </Text>
    );
  }
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        AWS names destination buckets by ARN; choose the trust through which Replicator reaches each
        one.
      </Text>
      {arns.map((arn) => (
        <NativeSelect
          key={arn}
          label={arn}
          data={trustOptions(trusts, value[arn] ?? '')}
          value={value[arn] ?? ''}
          onChange={(event) => onChange(arn, event.currentTarget.value)}
          error={errors[arn]}
        />
      ))}
    </Stack>
  );
}
