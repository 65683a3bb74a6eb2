import { NativeSelect, Stack, TextInput } from '@mantine/core';
import { useFormContext } from 'react-hook-form';
import { RULE_STATUSES, type Trust } from '../../api/types';
import type { RuleFormValues } from './ruleForm';
import { TrustSelect } from './TrustSelect';

/** Name, status and priority of a rule. */
export function GeneralFields() {
  const { register, formState } = useFormContext<RuleFormValues>();
  const { errors } = formState;
  return (
    <Stack gap="sm">
      <TextInput
        label="Name"
        description="The rule ID, as in AWS: 1 to 255 characters, unique in the tenant."
        autoComplete="off"
        error={errors.name?.message}
        {...register('name')}
      />
      <NativeSelect
        label="Status"
        description="A disabled rule replicates nothing until it is enabled again."
        data={[...RULE_STATUSES]}
        error={errors.status?.message}
        {...register('status')}
      />
      <TextInput
        type="number"
        label="Priority"
        description="Higher wins when rules of one source bucket overlap on a destination; unique per source bucket."
        min={0}
        step={1}
        error={errors.priority?.message}
        {...register('priority', { valueAsNumber: true })}
      />
    </Stack>
  );
}

/** The bucket the rule replicates, and the trust that reaches it. */
export function SourceFields({ trusts }: { trusts: Trust[] }) {
  const { register, formState } = useFormContext<RuleFormValues>();
  const { errors } = formState;
  return (
    <>
      <TrustSelect<RuleFormValues>
        name="source.trustId"
        label="Source trust"
        trusts={trusts}
        error={errors.source?.trustId?.message}
      />
      <TextInput
        label="Source bucket"
        description="Needs versioning enabled: checked when the rule is created or enabled."
        autoComplete="off"
        error={errors.source?.bucket?.message}
        {...register('source.bucket')}
      />
    </>
  );
}
