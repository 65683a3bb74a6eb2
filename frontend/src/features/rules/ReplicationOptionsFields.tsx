import { Stack, TextInput } from '@mantine/core';
import { useEffect } from 'react';
import { useFormContext, useWatch } from 'react-hook-form';
import { DescribedCheckbox } from '../../components/DescribedCheckbox';
import type { RuleFormValues } from './ruleForm';

export const DELETE_MARKERS_WITH_TAGS =
  'Not available with a tag filter: AWS does not allow delete marker replication in rules that filter on tags.';

/** What besides new object versions is replicated, how late a replica may be, and how often the source is scanned. */
export function ReplicationOptionsFields() {
  const { register, formState, control } = useFormContext<RuleFormValues>();
  const { errors } = formState;
  const replicationTime = useWatch({ control, name: 'replicationTime.enabled' });
  return (
    <Stack gap="sm">
      <DeleteMarkerCheckbox />
      <DescribedCheckbox
        label="Replicate replica modifications"
        description="Sync metadata changes made to replicas back to their source (AWS replica modification sync), for two-way replication."
        error={errors.replicaModifications?.message}
        {...register('replicaModifications')}
      />
      <DescribedCheckbox
        label="Replication time control"
        description="Track how long replication takes against a threshold, like S3 Replication Time Control."
        error={errors.replicationTime?.enabled?.message}
        {...register('replicationTime.enabled')}
      />
      {replicationTime && (
        <TextInput
          type="number"
          label="Threshold (minutes)"
          description="Objects not replicated within the threshold are counted and reported, like the 15 minutes of S3 RTC. 1 to 1440."
          min={1}
          max={1440}
          step={1}
          error={errors.replicationTime?.thresholdMinutes?.message}
          {...register('replicationTime.thresholdMinutes', { valueAsNumber: true })}
        />
      )}
      <TextInput
        type="number"
        label="Scan interval (seconds)"
        description="How often the source bucket is listed to catch changes that change events missed; stores without event notifications rely on it. 0 relies on change events only; otherwise 30 to 86400."
        min={0}
        max={86400}
        step={1}
        error={errors.scanIntervalSeconds?.message}
        {...register('scanIntervalSeconds', { valueAsNumber: true })}
      />
    </Stack>
  );
}

/** Off, and disabled with the reason, while the filter has tags. */
function DeleteMarkerCheckbox() {
  const { register, formState, control, getValues, setValue } = useFormContext<RuleFormValues>();
  const tagCount = useWatch({ control, name: 'filter.tags' }).length;
  const withTags = tagCount > 0;
  useEffect(() => {
    if (withTags && getValues('deleteMarkerReplication')) {
      setValue('deleteMarkerReplication', false);
    }
  }, [withTags, getValues, setValue]);
  return (
    <DescribedCheckbox
      label="Replicate delete markers"
      description={
        withTags
          ? DELETE_MARKERS_WITH_TAGS
          : 'Copy delete markers to the destinations, so an object deleted without a version ID disappears there too. Deletes of a specific version are never replicated.'
      }
      error={formState.errors.deleteMarkerReplication?.message}
      {...register('deleteMarkerReplication')}
      disabled={withTags}
    />
  );
}
