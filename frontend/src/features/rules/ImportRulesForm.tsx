import { zodResolver } from '@hookform/resolvers/zod';
import { Fieldset, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { FormProvider, useForm, useWatch } from 'react-hook-form';
import { z } from 'zod';
import { fieldPathErrorsOf, withoutFieldPathErrors } from '../../api/fieldErrors';
import type { RuleImport, Trust } from '../../api/types';
import { FormActions } from '../../components/FormActions';
import { ProblemAlert } from '../../components/ProblemAlert';
import { DestinationTrustsFields } from './DestinationTrustsFields';
import { parseReplicationConfiguration } from './importConfig';
import { bucketName, trustChoice } from './ruleForm';
import { TrustSelect } from './TrustSelect';

const schema = z.object({
  source: z.object({ trustId: trustChoice, bucket: bucketName }),
  configuration: z.string().superRefine((text, context) => {
    const parsed = parseReplicationConfiguration(text);
    if (parsed.status !== 'valid') {
      context.addIssue({
        code: 'custom',
        message: parsed.status === 'empty' ? 'Paste the replication configuration' : parsed.error,
      });
    }
  }),
});

type ImportFormValues = z.infer<typeof schema>;
type ImportFormField = 'source.trustId' | 'source.bucket' | `destination:${string}`;

/** Maps a server field path to the input showing it; errors inside the configuration stay in the alert. */
function importFormField(arns: string[]) {
  return (segments: string[]): ImportFormField | undefined => {
    const path = segments.join('.');
    if (path === 'source.trustId' || path === 'source.bucket') {
      return path;
    }
    const arn = segments.slice(1).join('.');
    return segments[0] === 'destinationTrusts' && arns.includes(arn)
      ? `destination:${arn}`
      : undefined;
  };
}

interface ImportRulesFormProps {
  trusts: Trust[];
  /** Rejects with the server's error, whose field errors then show next to their inputs. */
  onSubmit: (body: RuleImport) => Promise<unknown>;
  error: unknown;
  cancelTo: string;
}

export function ImportRulesForm({ trusts, onSubmit, error, cancelTo }: ImportRulesFormProps) {
  const form = useForm<ImportFormValues>({
    resolver: zodResolver(schema),
    defaultValues: { source: { trustId: '', bucket: '' }, configuration: '' },
  });
  const { register, handleSubmit, setError, formState, control } = form;
  const [destinationTrusts, setDestinationTrusts] = useState<Record<string, string>>({});
  const [arnErrors, setArnErrors] = useState<Record<string, string>>({});
  const parsed = parseReplicationConfiguration(useWatch({ control, name: 'configuration' }));
  const arns = parsed.status === 'valid' ? parsed.destinationArns : [];

  /** Every destination ARN needs a trust; records an error for each one without. */
  const checkDestinationTrusts = () => {
    const missing = arns.filter((arn) => !destinationTrusts[arn]);
    setArnErrors(
      Object.fromEntries(missing.map((arn) => [arn, 'Choose the trust that reaches this bucket'])),
    );
    return missing.length === 0;
  };

  const submit = handleSubmit(async (values) => {
    const configuration = parseReplicationConfiguration(values.configuration);
    if (!checkDestinationTrusts() || configuration.status !== 'valid') {
      return;
    }
    try {
      await onSubmit({
        source: values.source,
        destinationTrusts: Object.fromEntries(arns.map((arn) => [arn, destinationTrusts[arn]!])),
        configuration: configuration.configuration,
      });
    } catch (submitError) {
      const serverArnErrors: Record<string, string> = {};
      for (const { field, message } of fieldPathErrorsOf(submitError, importFormField(arns))) {
        if (field.startsWith('destination:')) {
          serverArnErrors[field.slice('destination:'.length)] = message;
        } else {
          setError(field as 'source.trustId' | 'source.bucket', { type: 'server', message });
        }
      }
      setArnErrors(serverArnErrors);
    }
  }, checkDestinationTrusts);

  const configurationError =
    formState.errors.configuration?.message ??
    (parsed.status === 'invalid' ? parsed.error : undefined);

  return (
    <FormProvider {...form}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md" maw={800}>
          <Fieldset legend="Source">
            <Stack gap="sm">
              <TrustSelect<ImportFormValues>
                name="source.trustId"
                label="Source trust"
                trusts={trusts}
                error={formState.errors.source?.trustId?.message}
              />
              <TextInput
                label="Source bucket"
                description="The bucket whose replication configuration this is; it needs versioning enabled."
                autoComplete="off"
                error={formState.errors.source?.bucket?.message}
                {...register('source.bucket')}
              />
            </Stack>
          </Fieldset>
          <Textarea
            label="Replication configuration (JSON)"
            description="The output of aws s3api get-bucket-replication, or the document given to put-bucket-replication ({Role, Rules}). The role is not used: each bucket is reached through a trust."
            autosize
            minRows={8}
            maxRows={24}
            spellCheck={false}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            error={configurationError}
            {...register('configuration')}
          />
          {parsed.status === 'valid' && (
            <Text size="sm" data-testid="import-summary">
              {parsed.ruleCount === 1 ? '1 rule' : `${parsed.ruleCount} rules`},{' '}
              {arns.length === 1 ? '1 destination bucket' : `${arns.length} destination buckets`}.
            </Text>
          )}
          <Fieldset legend="Destination trusts">
            <DestinationTrustsFields
              arns={arns}
              trusts={trusts}
              value={destinationTrusts}
              onChange={(arn, trustId) => {
                setDestinationTrusts((current) => ({ ...current, [arn]: trustId }));
                setArnErrors(({ [arn]: _cleared, ...others }) => others);
              }}
              errors={arnErrors}
            />
          </Fieldset>
          <ProblemAlert error={withoutFieldPathErrors(error, importFormField(arns))} />
          <FormActions
            submitLabel={'Import rules'}
            submitting={formState.isSubmitting}
            cancelTo={cancelTo}
          />
        </Stack>
      </form>
    </FormProvider>
  );
}
