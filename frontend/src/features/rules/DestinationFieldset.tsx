import { Button, Fieldset, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useFormContext, useWatch } from 'react-hook-form';
import type { Trust } from '../../api/types';
import { DescribedCheckbox } from '../../components/DescribedCheckbox';
import { STORAGE_CLASS_OPTIONS } from './labels';
import type { RuleFormValues } from './ruleForm';
import { TrustSelect } from './TrustSelect';

interface DestinationFieldsetProps {
  index: number;
  trusts: Trust[];
  /** Absent for the only destination, which cannot be removed. */
  onRemove?: () => void;
}

/** One destination, in a fieldset named "Destination <n>" (an ARIA group) so that its inputs can be told apart. */
export function DestinationFieldset({ index, trusts, onRemove }: DestinationFieldsetProps) {
  const { register, formState } = useFormContext<RuleFormValues>();
  const errors = formState.errors.destinations?.[index];
  return (
    <Fieldset legend={`Destination ${index + 1}`} data-testid="destination-row">
      <Stack gap="sm">
        <TrustSelect<RuleFormValues>
          name={`destinations.${index}.trustId`}
          label="Destination trust"
          trusts={trusts}
          error={errors?.trustId?.message}
        />
        <TextInput
          label="Destination bucket"
          autoComplete="off"
          error={errors?.bucket?.message}
          {...register(`destinations.${index}.bucket`)}
        />
        <StorageClassSelect index={index} error={errors?.storageClass?.message} />
        <DescribedCheckbox
          label="Owner override"
          description="Replicas are owned by the destination bucket owner (AWS AccessControlTranslation), as cross-account replication usually wants."
          error={errors?.ownerOverride?.message}
          {...register(`destinations.${index}.ownerOverride`)}
        />
        <TextInput
          label="KMS key ID"
          description="Optional: encrypt replicas with SSE-KMS using this key (ID or ARN). Empty keeps the source object's encryption."
          autoComplete="off"
          error={errors?.kmsKeyId?.message}
          {...register(`destinations.${index}.kmsKeyId`)}
        />
        {errors?.message && (
          <Text size="xs" c="red">
            {errors.message}
          </Text>
        )}
        {onRemove && (
          <Group>
            <Button variant="subtle" color="red" size="xs" onClick={onRemove}>
              Remove destination
            </Button>
          </Group>
        )}
      </Stack>
    </Fieldset>
  );
}

function StorageClassSelect({ index, error }: { index: number; error?: string }) {
  const { register, control } = useFormContext<RuleFormValues>();
  const value = useWatch({ control, name: `destinations.${index}.storageClass` });
  const known = STORAGE_CLASS_OPTIONS.some((option) => option.value === value);
  return (
    <NativeSelect
      label="Storage class"
      description="The storage class of the replicas."
      data={known ? STORAGE_CLASS_OPTIONS : [...STORAGE_CLASS_OPTIONS, { value, label: value }]}
      error={error}
      {...register(`destinations.${index}.storageClass`)}
    />
  );
}
