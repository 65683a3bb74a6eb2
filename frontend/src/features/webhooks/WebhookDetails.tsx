import { Anchor, Code, Group, Text } from '@mantine/core';
import { Fragment } from 'react';
import { Link } from 'react-router';
import type { Webhook } from '../../api/types';
import { CopyValueButton } from '../../components/CopyValueButton';
import { type DetailRow, DetailsTable } from '../../components/DetailsTable';
import { Timestamp } from '../../components/Timestamp';
import { rulePage } from '../rules/paths';
import { EnabledBadge, EndpointState, EventBadges } from './WebhookBadges';

interface WebhookDetailsProps {
  tenantId: string;
  webhook: Webhook;
  ruleName: (ruleId: string) => string;
}

/** Where a webhook's events go, which ones, and of which rules. */
export function WebhookDetails({ tenantId, webhook, ruleName }: WebhookDetailsProps) {
  const rows: DetailRow[] = [
    [
      'URL',
      <Group key="url" gap="xs" wrap="nowrap">
        <Code>{webhook.url}</Code>
        <CopyValueButton value={webhook.url} what="URL" />
      </Group>,
    ],
    ['Description', webhook.description ?? '—'],
    ['Events', <EventBadges key="events" events={webhook.events} />],
    ['Rules', rules(tenantId, webhook.ruleIds, ruleName)],
    ['Status', <EnabledBadge key="enabled" enabled={webhook.enabled} />],
    ['Endpoint', <EndpointState key="endpoint" endpoint={webhook.endpoint} />],
    [
      'Last attempt',
      <Text key="last-attempt" size="sm" component="span">
        <Timestamp value={webhook.endpoint.lastAttemptAt} empty="None since the URL was set" />
        {webhook.endpoint.lastResponseStatus !== null &&
          ` · answered ${webhook.endpoint.lastResponseStatus}`}
      </Text>,
    ],
    ['ID', <Code key="id">{webhook.id}</Code>],
    ['Created', <Timestamp key="created" value={webhook.createdAt} />],
    ['Updated', <Timestamp key="updated" value={webhook.updatedAt} />],
  ];
  return <DetailsTable rows={rows} data-testid="webhook-details" />;
}

function rules(tenantId: string, ruleIds: string[] | null, ruleName: (ruleId: string) => string) {
  if (!ruleIds) {
    return 'All rules, including rules created later';
  }
  return (
    <Text key="rules" size="sm" component="span">
      {ruleIds.map((ruleId, index) => (
        <Fragment key={ruleId}>
          {index > 0 && ', '}
          <Anchor component={Link} to={rulePage(tenantId, ruleId)} size="sm">
            {ruleName(ruleId)}
          </Anchor>
        </Fragment>
      ))}
    </Text>
  );
}
