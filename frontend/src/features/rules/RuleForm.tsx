import { zodResolver } from '@hookform/resolvers/zod';
import { Fieldset, Stack } from '@mantine/core';
import { FormProvider, useForm } from 'react-hook-form';
import { fieldPathErrorsOf, withoutFieldPathErrors } from '../../api/fieldErrors';
import type { Rule, Trust } from '../../api/types';
import { FormActions } from '../../components/FormActions';
import { ProblemAlert } from '../../components/ProblemAlert';
import { DestinationsFields } from './DestinationsFields';
import { FilterFields } from './FilterFields';
import { GeneralFields, SourceFields } from './GeneralFields';
import { ReplicationOptionsFields } from './ReplicationOptionsFields';
import {
  emptyRuleForm,
  ruleFormField,
  ruleFormValues,
  ruleSchema,
  type RuleFormValues,
} from './ruleForm';

interface RuleFormProps {
  /** The rule being edited; without it the form creates one. */
  rule?: Rule;
  /** The tenant's trusts, to choose the source's and each destination's. */
  trusts: Trust[];
  submitLabel: string;
  /** Rejects with the server's error, whose field errors then show next to their inputs. */
  onSubmit: (values: RuleFormValues) => Promise<unknown>;
  /** The last submit's error, for the alert above the buttons. */
  error: unknown;
  cancelTo: string;
}

export function RuleForm({ rule, trusts, submitLabel, onSubmit, error, cancelTo }: RuleFormProps) {
  const form = useForm<RuleFormValues>({
    resolver: zodResolver(ruleSchema),
    defaultValues: rule ? ruleFormValues(rule) : emptyRuleForm(),
  });
  const { handleSubmit, setError, formState, getValues } = form;

  const submit = handleSubmit(async (submitted) => {
    try {
      await onSubmit(submitted);
    } catch (submitError) {
      for (const { field, message } of fieldPathErrorsOf(submitError, ruleFormField(submitted))) {
        setError(field, { type: 'server', message });
      }
    }
  });

  return (
    <FormProvider {...form}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md" maw={720}>
          <GeneralFields />
          <Fieldset legend="Source">
            <Stack gap="sm">
              <SourceFields trusts={trusts} />
            </Stack>
          </Fieldset>
          <Fieldset legend="Filter">
            <FilterFields />
          </Fieldset>
          <Fieldset legend="Destinations">
            <DestinationsFields trusts={trusts} />
          </Fieldset>
          <Fieldset legend="Replication options">
            <ReplicationOptionsFields />
          </Fieldset>
          <ProblemAlert error={withoutFieldPathErrors(error, ruleFormField(getValues()))} />
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
