import { z } from 'zod';
import {
  REPLICATION_EVENT_NAMES,
  type ReplicationEventName,
  type Webhook,
  type WebhookInput,
} from '../../api/types';

/** Whose events a webhook receives: every rule of the tenant (also rules created later), or chosen ones. */
export const RULE_SCOPES = ['ALL', 'SELECTED'] as const;
export type RuleScope = (typeof RULE_SCOPES)[number];

/** The most rules a webhook may name, as the server allows. */
export const MAX_RULES = 100;

const URL_EXAMPLE = 'e.g. https://hooks.example.com/replication';

/** Why value is not a URL the server accepts for a webhook (before its address check), or null. */
function urlProblem(value: string): string | null {
  if (!/^https?:\/\//i.test(value)) {
    return `Enter an http:// or https:// URL, ${URL_EXAMPLE}`;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `Enter a valid URL, ${URL_EXAMPLE}`;
  }
  if (url.hostname === '') {
    return `Enter a URL with a host, ${URL_EXAMPLE}`;
  }
  if (url.username || url.password) {
    return 'Leave out the user name and password: the signature authenticates events';
  }
  if (value.includes('#')) {
    return 'Leave out the fragment (#…): it is never sent';
  }
  return null;
}

/** Mirrors the server's checks of a webhook; whether its address may be reached only the server knows. */
export const webhookSchema = z
  .object({
    url: z
      .string()
      .trim()
      .min(1, 'Enter the URL the events are posted to')
      .max(2048, 'Use at most 2048 characters')
      .superRefine((value, context) => {
        const problem = value === '' ? null : urlProblem(value);
        if (problem) {
          context.addIssue({ code: 'custom', message: problem });
        }
      }),
    description: z.string().trim().max(1000, 'Use at most 1000 characters'),
    events: z.array(z.enum(REPLICATION_EVENT_NAMES)).min(1, 'Choose at least one event'),
    ruleScope: z.enum(RULE_SCOPES),
    ruleIds: z.array(z.string()),
    enabled: z.boolean(),
  })
  .superRefine(
    (values, context) => {
      if (values.ruleScope !== 'SELECTED') {
        return;
      }
      if (values.ruleIds.length === 0) {
        context.addIssue({
          code: 'custom',
          path: ['ruleIds'],
          message: 'Choose at least one rule, or send the events of all rules',
        });
      } else if (values.ruleIds.length > MAX_RULES) {
        context.addIssue({
          code: 'custom',
          path: ['ruleIds'],
          message: `Choose at most ${MAX_RULES} rules, or send the events of all rules`,
        });
      }
    },
    // Checked alongside the fields' own errors, so that every mistake shows at once.
    { when: () => true },
  );

export type WebhookFormValues = z.infer<typeof webhookSchema>;
export type WebhookFormField = keyof WebhookFormValues;

/** A new webhook: failed replications of every rule, enabled. */
export function emptyWebhookForm(): WebhookFormValues {
  return {
    url: '',
    description: '',
    events: ['OperationFailedReplication'],
    ruleScope: 'ALL',
    ruleIds: [],
    enabled: true,
  };
}

/** The form's values for editing webhook. */
export function webhookFormValues(webhook: Webhook): WebhookFormValues {
  return {
    url: webhook.url,
    description: webhook.description ?? '',
    events: [...webhook.events],
    ruleScope: webhook.ruleIds ? 'SELECTED' : 'ALL',
    ruleIds: webhook.ruleIds ? [...webhook.ruleIds] : [],
    enabled: webhook.enabled,
  };
}

/** The events in their usual order, whatever order they were ticked in. */
function ordered(events: ReplicationEventName[]): ReplicationEventName[] {
  return REPLICATION_EVENT_NAMES.filter((event) => events.includes(event));
}

/**
 * The body of POST .../webhooks and PUT .../webhooks/{id} (which replaces the settings): without an
 * empty description, without ruleIds for all rules, and with enabled always, since a PUT without it
 * would enable the webhook.
 */
export function toWebhookInput(values: WebhookFormValues): WebhookInput {
  const description = values.description.trim();
  return {
    url: values.url.trim(),
    ...(description ? { description } : {}),
    events: ordered(values.events),
    ...(values.ruleScope === 'SELECTED' ? { ruleIds: values.ruleIds } : {}),
    enabled: values.enabled,
  };
}

/**
 * Maps the segments of a server field path ("url", "create.input.events[0]", "ruleIds") to the input
 * showing it; the rules only while chosen ones are shown, anything else is left to the alert.
 */
export function webhookFormField(values: WebhookFormValues) {
  return (segments: string[]): WebhookFormField | undefined => {
    if (segments.length !== 1) {
      return undefined;
    }
    const [field] = segments;
    switch (field) {
      case 'url':
      case 'description':
      case 'events':
      case 'enabled':
        return field;
      case 'ruleIds':
        return values.ruleScope === 'SELECTED' ? field : undefined;
      default:
        return undefined;
    }
  };
}
