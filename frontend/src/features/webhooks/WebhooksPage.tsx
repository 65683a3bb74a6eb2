import { Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { Webhook } from '../../api/types';
import { CursorPager, useCursorParam } from '../../components/CursorPager';
import { type Column, DataTable } from '../../components/DataTable';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { Timestamp } from '../../components/Timestamp';
import { useTenantId } from '../../layout/useTenantId';
import { canAdministerTenant, useCurrentUser } from '../auth/session';
import { useTenantRules } from '../rules/useTenantRules';
import { useWebhooks } from './api';
import { EnabledBadge, EndpointState, EventBadges } from './WebhookBadges';
import { newWebhookPage, webhookPage } from './paths';

/** The most rule names a list cell shows before it counts them instead. */
const MAX_RULE_NAMES = 3;

/** "All rules", the rules' names, or how many there are. */
function rulesLabel(ruleIds: string[] | null, ruleName: (ruleId: string) => string) {
  if (!ruleIds) {
    return 'All rules';
  }
  const names = ruleIds.map(ruleName);
  if (names.length > MAX_RULE_NAMES) {
    return <span title={names.join(', ')}>{`${names.length} rules`}</span>;
  }
  return names.join(', ');
}

function columns(tenantId: string, ruleName: (ruleId: string) => string): Column<Webhook>[] {
  return [
    {
      header: 'URL',
      cell: (webhook) => (
        <Stack gap={0}>
          <Anchor
            component={Link}
            to={webhookPage(tenantId, webhook.id)}
            style={{ wordBreak: 'break-all' }}
          >
            {webhook.url}
          </Anchor>
          {webhook.description && (
            <Text size="xs" c="dimmed">
              {webhook.description}
            </Text>
          )}
        </Stack>
      ),
    },
    { header: 'Events', cell: (webhook) => <EventBadges events={webhook.events} /> },
    { header: 'Rules', cell: (webhook) => rulesLabel(webhook.ruleIds, ruleName) },
    { header: 'Enabled', cell: (webhook) => <EnabledBadge enabled={webhook.enabled} /> },
    { header: 'Endpoint', cell: (webhook) => <EndpointState endpoint={webhook.endpoint} /> },
    { header: 'Created', cell: (webhook) => <Timestamp value={webhook.createdAt} /> },
  ];
}

export function WebhooksPage() {
  const tenantId = useTenantId();
  const canAdminister = canAdministerTenant(useCurrentUser(), tenantId);
  const webhooks = useWebhooks(tenantId, useCursorParam());
  const { nameOf } = useTenantRules(tenantId);
  return (
    <Stack>
      <PageHeader title="Webhooks">
        Webhooks receive the replication events that AWS sends through S3 Event Notifications:
        OperationFailedReplication, OperationMissedThreshold and OperationReplicatedAfterThreshold,
        in the same JSON shape (&quot;Records&quot; with s3 and replicationEventData). Each event is
        POSTed to the webhook&apos;s URL, signed with its secret, and retried until the endpoint
        answers 2xx.
      </PageHeader>
      {canAdminister && (
        <Group>
          <Button component={Link} to={newWebhookPage(tenantId)}>
            New webhook
          </Button>
        </Group>
      )}
      <ProblemAlert error={webhooks.error} />
      <div data-testid="webhooks">
        <DataTable
          columns={columns(tenantId, nameOf)}
          rows={webhooks.data?.items}
          rowKey={(webhook) => webhook.id}
          loading={webhooks.isPending}
          emptyText="No webhooks yet."
        />
      </div>
      <CursorPager nextCursor={webhooks.data?.nextCursor} />
    </Stack>
  );
}
