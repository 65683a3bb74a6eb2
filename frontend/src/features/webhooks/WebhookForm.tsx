import { zodResolver } from '@hookform/resolvers/zod';
import { Checkbox, MultiSelect, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useId } from 'react';
import { Controller, FormProvider, useForm, useFormContext, useWatch } from 'react-hook-form';
import { joinedFieldPathErrorsOf, withoutFieldPathErrors } from '../../api/fieldErrors';
import {
  REPLICATION_EVENT_NAMES,
  type Rule,
  type Webhook,
  type WebhookInput,
} from '../../api/types';
import { DescribedCheckbox } from '../../components/DescribedCheckbox';
import { FormActions } from '../../components/FormActions';
import { FormRadioGroup, type RadioOption } from '../../components/FormRadioGroup';
import { ProblemAlert } from '../../components/ProblemAlert';
import { arrayError } from '../rules/formErrors';
import { EVENT_HELP } from './labels';
import {
  emptyWebhookForm,
  MAX_RULES,
  type RuleScope,
  toWebhookInput,
  webhookFormField,
  webhookFormValues,
  type WebhookFormValues,
  webhookSchema,
} from './webhookForm';

interface WebhookFormProps {
  /** The webhook being edited; without it the form creates one. */
  webhook?: Webhook;
  /** The tenant's rules to choose from; undefined while they load. */
  rules: Rule[] | undefined;
  submitLabel: string;
  /** Rejects with the server's error, whose field errors then show next to their inputs. */
  onSubmit: (webhook: WebhookInput) => Promise<unknown>;
  /** The last submit's error, for the alert above the buttons. */
  error: unknown;
  cancelTo: string;
}

export function WebhookForm({
  webhook,
  rules,
  submitLabel,
  onSubmit,
  error,
  cancelTo,
}: WebhookFormProps) {
  const form = useForm<WebhookFormValues>({
    resolver: zodResolver(webhookSchema),
    defaultValues: webhook ? webhookFormValues(webhook) : emptyWebhookForm(),
  });
  const { register, handleSubmit, setError, formState, getValues } = form;

  const submit = handleSubmit(async (values) => {
    try {
      await onSubmit(toWebhookInput(values));
    } catch (submitError) {
      for (const [field, message] of joinedFieldPathErrorsOf(
        submitError,
        webhookFormField(values),
      )) {
        setError(field, { type: 'server', message });
      }
    }
  });

  return (
    <FormProvider {...form}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md" maw={720}>
          <TextInput
            label="URL"
            description="Events are POSTed here as JSON. It must reach a public address, unless the operator of this Replicator allowed its network range."
            placeholder="https://hooks.example.com/replication"
            autoComplete="off"
            error={formState.errors.url?.message}
            {...register('url')}
          />
          <TextInput
            label="Description"
            description="Optional: what receives the events, shown in the list of webhooks."
            autoComplete="off"
            error={formState.errors.description?.message}
            {...register('description')}
          />
          <EventCheckboxes />
          <RuleScopeFields rules={rules} />
          <EnabledSwitch />
          <ProblemAlert error={withoutFieldPathErrors(error, webhookFormField(getValues()))} />
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

function EventCheckboxes() {
  const { control, formState } = useFormContext<WebhookFormValues>();
  return (
    <Controller
      control={control}
      name="events"
      render={({ field }) => (
        <Checkbox.Group
          label="Events"
          description="The S3 Replication events of S3 Event Notifications; each is sent as it happens."
          value={field.value}
          onChange={field.onChange}
          error={arrayError(formState.errors.events)}
        >
          <Stack gap="xs" mt="xs">
            {REPLICATION_EVENT_NAMES.map((event) => (
              <DescribedCheckbox
                key={event}
                value={event}
                label={event}
                description={EVENT_HELP[event]}
              />
            ))}
          </Stack>
        </Checkbox.Group>
      )}
    />
  );
}

const RULE_SCOPE_OPTIONS: RadioOption<RuleScope>[] = [
  {
    value: 'ALL',
    label: 'All rules',
    description: 'Events of every rule of the tenant, including rules created later.',
  },
  {
    value: 'SELECTED',
    label: 'Selected rules',
    description: `Events of the rules chosen below only (up to ${MAX_RULES}).`,
  },
];

/** The rules as options by name; a chosen rule not (or not yet) loaded keeps its id. */
function ruleOptions(rules: Rule[] | undefined, chosen: string[]) {
  const options = (rules ?? []).map((rule) => ({
    value: rule.id,
    label: rule.status === 'ENABLED' ? rule.name : `${rule.name} (disabled)`,
  }));
  for (const ruleId of chosen) {
    if (!options.some((option) => option.value === ruleId)) {
      options.push({ value: ruleId, label: ruleId });
    }
  }
  return options;
}

function RuleScopeFields({ rules }: { rules: Rule[] | undefined }) {
  const { control, formState } = useFormContext<WebhookFormValues>();
  const scope = useWatch({ control, name: 'ruleScope' });
  return (
    <Stack gap="sm">
      <FormRadioGroup<RuleScope, WebhookFormValues>
        name="ruleScope"
        label="Rule scope"
        options={RULE_SCOPE_OPTIONS}
      />
      {scope === 'SELECTED' && (
        <Controller
          control={control}
          name="ruleIds"
          render={({ field }) => (
            <MultiSelect
              label="Rules"
              description="The rules whose events are sent."
              placeholder={rules ? 'Choose rules' : 'Loading rules…'}
              data={ruleOptions(rules, field.value)}
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              searchable
              clearable
              nothingFoundMessage="No rule matches"
              error={arrayError(formState.errors.ruleIds)}
            />
          )}
        />
      )}
    </Stack>
  );
}

/**
 * The enabled switch, its help outside the switch's label (Mantine puts a description inside it), so
 * that the label reads "Enabled" and the help is the switch's accessible description.
 */
function EnabledSwitch() {
  const { control, formState } = useFormContext<WebhookFormValues>();
  const helpId = useId();
  return (
    <Stack gap={4}>
      {/* Controlled: Mantine's Switch keeps its own checked state, which a registered ref cannot set. */}
      <Controller
        control={control}
        name="enabled"
        render={({ field }) => (
          <Switch
            label="Enabled"
            aria-describedby={helpId}
            name={field.name}
            ref={field.ref}
            checked={field.value}
            onChange={(event) => field.onChange(event.currentTarget.checked)}
            onBlur={field.onBlur}
            error={formState.errors.enabled?.message}
          />
        )}
      />
      <Text id={helpId} size="xs" c="dimmed">
        A disabled webhook gets no new events, and events that happen meanwhile are not sent later;
        deliveries already queued, and test events, are still sent.
      </Text>
    </Stack>
  );
}
