import { zodResolver } from '@hookform/resolvers/zod';
import {
  Checkbox,
  Fieldset,
  FileInput,
  Group,
  MultiSelect,
  NativeSelect,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useEffect, useRef } from 'react';
import { Controller, FormProvider, useForm, useFormContext, useWatch } from 'react-hook-form';
import { joinedFieldPathErrorsOf, withoutFieldPathErrors } from '../../api/fieldErrors';
import {
  BATCH_REPLICATION_STATUSES,
  BATCH_REPORT_SCOPES,
  type BatchJobRequest,
  type Rule,
  type Trust,
} from '../../api/types';
import { DescribedCheckbox } from '../../components/DescribedCheckbox';
import { FormActions } from '../../components/FormActions';
import { FormRadioGroup, type RadioOption } from '../../components/FormRadioGroup';
import { ProblemAlert } from '../../components/ProblemAlert';
import { arrayError } from '../rules/formErrors';
import { TrustSelect } from '../rules/TrustSelect';
import {
  batchJobFormField,
  type BatchJobFormValues,
  batchJobSchema,
  emptyBatchJobForm,
  readText,
  type SourceMode,
  toBatchJobRequest,
} from './batchJobForm';
import { REPLICATION_STATUS_HELP, REPORT_SCOPE_LABELS } from './labels';

interface BatchJobFormProps {
  /** The tenant's rules, to choose the one whose settings the job replicates with. */
  rules: Rule[];
  /** The tenant's trusts, to reach a manifest's or a report's bucket. */
  trusts: Trust[];
  /** The rule chosen to begin with ('' for none). */
  initialRuleId: string;
  /** Rejects with the server's error, whose field errors then show next to their inputs. */
  onSubmit: (job: BatchJobRequest) => Promise<unknown>;
  /** The last submit's error, for the alert above the buttons. */
  error: unknown;
  cancelTo: string;
}

export function BatchJobForm({
  rules,
  trusts,
  initialRuleId,
  onSubmit,
  error,
  cancelTo,
}: BatchJobFormProps) {
  const form = useForm<BatchJobFormValues>({
    resolver: zodResolver(batchJobSchema),
    defaultValues: emptyBatchJobForm(initialRuleId),
  });
  const { handleSubmit, setError, formState, getValues, control } = form;
  const source = useWatch({ control, name: 'source' });

  const submit = handleSubmit(async (values) => {
    let csv: string | null = null;
    if (values.source === 'CSV' && values.manifestFile) {
      try {
        csv = await readText(values.manifestFile);
      } catch {
        setError('manifestFile', { type: 'read', message: 'The file could not be read' });
        return;
      }
    }
    try {
      await onSubmit(toBatchJobRequest(values, csv));
    } catch (submitError) {
      for (const [field, message] of joinedFieldPathErrorsOf(
        submitError,
        batchJobFormField(values),
      )) {
        setError(field, { type: 'server', message });
      }
    }
  });

  return (
    <FormProvider {...form}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md" maw={720}>
          <GeneralFields rules={rules} />
          <Fieldset legend="Objects to replicate">
            <Stack gap="sm">
              <SourceModeRadios />
              {source === 'FILTER' && <FilterFields />}
              {source === 'CSV' && <ManifestUploadField />}
              {source === 'BUCKET' && <ManifestBucketFields trusts={trusts} />}
            </Stack>
          </Fieldset>
          <Fieldset legend="Destinations">
            <DestinationsSelect rules={rules} />
          </Fieldset>
          <Fieldset legend="Completion report">
            <ReportFields trusts={trusts} />
          </Fieldset>
          <ProblemAlert error={withoutFieldPathErrors(error, batchJobFormField(getValues()))} />
          <FormActions
            submitLabel={'Start batch job'}
            submitting={formState.isSubmitting}
            cancelTo={cancelTo}
          />
        </Stack>
      </form>
    </FormProvider>
  );
}

/** The rules as options after an empty "Choose a rule"; a chosen rule not in the list keeps its id. */
function ruleOptions(rules: Rule[], value: string) {
  const options = [
    { value: '', label: 'Choose a rule' },
    ...rules.map((rule) => ({
      value: rule.id,
      label: rule.status === 'ENABLED' ? rule.name : `${rule.name} (disabled)`,
    })),
  ];
  if (value && !rules.some((rule) => rule.id === value)) {
    options.push({ value, label: value });
  }
  return options;
}

function GeneralFields({ rules }: { rules: Rule[] }) {
  const { register, formState, control } = useFormContext<BatchJobFormValues>();
  const ruleId = useWatch({ control, name: 'ruleId' });
  return (
    <Stack gap="sm">
      <NativeSelect
        label="Rule"
        description="The job replicates from the rule's source bucket to its destinations, with the rule's settings (storage class, encryption, owner override). The rule must be enabled: a job's tasks run only while it is."
        data={ruleOptions(rules, ruleId)}
        error={formState.errors.ruleId?.message}
        {...register('ruleId')}
      />
      <TextInput
        label="Description"
        description="Optional: what the job is for, shown in the list of jobs."
        autoComplete="off"
        error={formState.errors.description?.message}
        {...register('description')}
      />
    </Stack>
  );
}

const SOURCE_MODE_OPTIONS: RadioOption<SourceMode>[] = [
  {
    value: 'FILTER',
    label: 'Filter (generate manifest)',
    description:
      "Replicator lists the source bucket's versions and picks those matching the filter, as S3 Batch Replication generates a manifest.",
  },
  {
    value: 'CSV',
    label: 'Manifest CSV upload',
    description:
      'A CSV file listing the versions, one bucket,key,versionId line each (no header), as for S3 Batch Operations; up to 10 MB.',
  },
  {
    value: 'BUCKET',
    label: 'Manifest in a bucket',
    description:
      'The same CSV, read from an object through one of your trusts: for manifests larger than 10 MB.',
  },
];

function SourceModeRadios() {
  return (
    <FormRadioGroup<SourceMode, BatchJobFormValues>
      name="source"
      label="Versions to replicate"
      options={SOURCE_MODE_OPTIONS}
    />
  );
}

function FilterFields() {
  const { register, formState, control } = useFormContext<BatchJobFormValues>();
  const errors = formState.errors.filter;
  return (
    <Stack gap="sm">
      <Controller
        control={control}
        name="filter.replicationStatuses"
        render={({ field }) => (
          <Checkbox.Group
            label="Replication statuses"
            description="Versions with any of the ticked statuses for this rule are replicated, if also written in the time range below and under the prefix."
            value={field.value}
            onChange={field.onChange}
            error={arrayError(errors?.replicationStatuses)}
          >
            <Stack gap="xs" mt="xs">
              {BATCH_REPLICATION_STATUSES.map((status) => (
                <DescribedCheckbox
                  key={status}
                  value={status}
                  label={status}
                  description={REPLICATION_STATUS_HELP[status]}
                />
              ))}
            </Stack>
          </Checkbox.Group>
        )}
      />
      <Group grow align="flex-start">
        <TextInput
          type="datetime-local"
          label="Created after"
          description="Optional, in your time zone."
          error={errors?.createdAfter?.message}
          {...register('filter.createdAfter')}
        />
        <TextInput
          type="datetime-local"
          label="Created before"
          description="Optional, in your time zone."
          error={errors?.createdBefore?.message}
          {...register('filter.createdBefore')}
        />
      </Group>
      <TextInput
        label="Prefix"
        description="Optional: only keys that start with it, within the rule's own filter."
        autoComplete="off"
        error={errors?.prefix?.message}
        {...register('filter.prefix')}
      />
    </Stack>
  );
}

function ManifestUploadField() {
  const { control, formState } = useFormContext<BatchJobFormValues>();
  return (
    <Controller
      control={control}
      name="manifestFile"
      render={({ field }) => (
        <FileInput
          label="Manifest CSV"
          description="Lines of bucket,key,versionId, no header; the bucket is the rule's source bucket, keys may be URL-encoded as in AWS manifests, and without a version ID the current version is replicated. At most 10 MB."
          placeholder="Choose a .csv file"
          accept=".csv,text/csv,text/plain"
          clearable
          value={field.value}
          onChange={field.onChange}
          onBlur={field.onBlur}
          error={formState.errors.manifestFile?.message}
          fileInputProps={{ 'aria-label': 'Manifest CSV file' }}
        />
      )}
    />
  );
}

function ManifestBucketFields({ trusts }: { trusts: Trust[] }) {
  const { register, formState } = useFormContext<BatchJobFormValues>();
  const errors = formState.errors.manifest;
  return (
    <Stack gap="sm">
      <TrustSelect<BatchJobFormValues>
        name="manifest.trustId"
        label="Manifest trust"
        description="The trust that can read the manifest object."
        trusts={trusts}
        error={errors?.trustId?.message}
      />
      <TextInput
        label="Manifest bucket"
        autoComplete="off"
        error={errors?.bucket?.message}
        {...register('manifest.bucket')}
      />
      <TextInput
        label="Manifest key"
        description="The key of the CSV object, e.g. manifests/photos.csv."
        autoComplete="off"
        error={errors?.key?.message}
        {...register('manifest.key')}
      />
      <TextInput
        label="Manifest version ID"
        description="Optional: a version of the manifest object; empty reads the current one."
        autoComplete="off"
        error={errors?.versionId?.message}
        {...register('manifest.versionId')}
      />
    </Stack>
  );
}

/** A subset of the chosen rule's destinations; emptied when another rule is chosen. */
function DestinationsSelect({ rules }: { rules: Rule[] }) {
  const { control, formState, setValue } = useFormContext<BatchJobFormValues>();
  const ruleId = useWatch({ control, name: 'ruleId' });
  const shownFor = useRef(ruleId);
  useEffect(() => {
    if (shownFor.current !== ruleId) {
      shownFor.current = ruleId;
      setValue('destinations', []);
    }
  }, [ruleId, setValue]);
  const rule = rules.find((candidate) => candidate.id === ruleId);
  const buckets = [...new Set(rule?.destinations.map((destination) => destination.bucket))];
  return (
    <Controller
      control={control}
      name="destinations"
      render={({ field }) => (
        <MultiSelect
          label="Destination buckets"
          description="Replicate to these destinations of the rule only; leave empty for all of them."
          placeholder={field.value.length === 0 ? 'All destinations' : undefined}
          data={buckets}
          value={field.value}
          onChange={field.onChange}
          onBlur={field.onBlur}
          disabled={!rule}
          clearable
          error={arrayError(formState.errors.destinations)}
        />
      )}
    />
  );
}

function ReportFields({ trusts }: { trusts: Trust[] }) {
  const { register, formState, control } = useFormContext<BatchJobFormValues>();
  const enabled = useWatch({ control, name: 'report.enabled' });
  const errors = formState.errors.report;
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        The job&apos;s report can always be downloaded from its page. It can also be written as a
        CSV object to a bucket when the job ends, as S3 Batch Operations completion reports are.
      </Text>
      <DescribedCheckbox
        label="Write a completion report to a bucket"
        error={errors?.enabled?.message}
        {...register('report.enabled')}
      />
      {enabled && (
        <>
          <TrustSelect<BatchJobFormValues>
            name="report.trustId"
            label="Report trust"
            description="The trust that can write to the report bucket."
            trusts={trusts}
            error={errors?.trustId?.message}
          />
          <TextInput
            label="Report bucket"
            autoComplete="off"
            error={errors?.bucket?.message}
            {...register('report.bucket')}
          />
          <TextInput
            label="Report prefix"
            description="Optional: the report's key starts with it, e.g. reports/."
            autoComplete="off"
            error={errors?.prefix?.message}
            {...register('report.prefix')}
          />
          <NativeSelect
            label="Report scope"
            data={BATCH_REPORT_SCOPES.map((scope) => ({
              value: scope,
              label: REPORT_SCOPE_LABELS[scope],
            }))}
            error={errors?.scope?.message}
            {...register('report.scope')}
          />
        </>
      )}
    </Stack>
  );
}
