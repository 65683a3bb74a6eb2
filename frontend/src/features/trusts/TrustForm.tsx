import { zodResolver } from '@hookform/resolvers/zod';
import { NativeSelect, Stack, TextInput } from '@mantine/core';
import { useMemo } from 'react';
import { FormProvider, useForm, useWatch } from 'react-hook-form';
import { fieldErrorsOf, withoutFieldErrors } from '../../api/fieldErrors';
import type { Trust } from '../../api/types';
import { FormActions } from '../../components/FormActions';
import { ProblemAlert } from '../../components/ProblemAlert';
import {
  emptyTrustForm,
  trustFormValues,
  trustSchema,
  visibleFields,
  type TrustFormValues,
} from './trustForm';
import {
  AdvancedFields,
  AssumeRoleFields,
  ConnectionFields,
  StaticCredentialFields,
} from './TrustFormFields';

const TYPE_OPTIONS = [
  { value: 'STATIC', label: 'STATIC (access keys)' },
  { value: 'ASSUME_ROLE', label: 'ASSUME_ROLE (assume an IAM role)' },
];

interface TrustFormProps {
  /** The trust being edited; without it the form creates one. */
  trust?: Trust;
  submitLabel: string;
  /** Rejects with the server's error, whose field errors then show next to their inputs. */
  onSubmit: (values: TrustFormValues) => Promise<unknown>;
  /** The last submit's error, for the alert above the form. */
  error: unknown;
  cancelTo: string;
}

export function TrustForm({ trust, submitLabel, onSubmit, error, cancelTo }: TrustFormProps) {
  const schema = useMemo(() => trustSchema(trust), [trust]);
  const form = useForm<TrustFormValues>({
    resolver: zodResolver(schema),
    defaultValues: trust ? trustFormValues(trust) : emptyTrustForm(),
  });
  const { register, handleSubmit, formState, setError, control } = form;
  const type = useWatch({ control, name: 'type' });
  const fields = visibleFields(type);

  const submit = handleSubmit(async (values) => {
    try {
      await onSubmit(values);
    } catch (submitError) {
      for (const { field, message } of fieldErrorsOf(submitError, fields)) {
        setError(field, { type: 'server', message });
      }
    }
  });

  return (
    <FormProvider {...form}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md" maw={640}>
          <ProblemAlert error={withoutFieldErrors(error, fields)} />
          <TextInput
            label="Name"
            autoComplete="off"
            error={formState.errors.name?.message}
            {...register('name')}
          />
          {trust ? (
            <NativeSelect
              label="Type"
              data={TYPE_OPTIONS}
              value={trust.type}
              disabled
              description="The type of a trust cannot be changed; create a new trust instead."
            />
          ) : (
            <NativeSelect
              label="Type"
              data={TYPE_OPTIONS}
              description="Access keys of an IAM user or an S3-compatible store, or an IAM role that Replicator assumes."
              error={formState.errors.type?.message}
              {...register('type')}
            />
          )}
          <ConnectionFields />
          {type === 'STATIC' ? (
            <StaticCredentialFields editing={trust !== undefined} />
          ) : (
            <AssumeRoleFields />
          )}
          <AdvancedFields />
          <FormActions
            submitLabel={submitLabel}
            submitting={formState.isSubmitting}
            cancelTo={cancelTo}
          />
        </Stack>
      </form>
    </FormProvider>
  );
}
