import { Sparkline } from '@mantine/charts';
import { Anchor, Group, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { DestinationHealth, HealthState, RuleHealth } from '../../api/types';
import { CursorPager, useCursorParam } from '../../components/CursorPager';
import { type Column, DataTable } from '../../components/DataTable';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { UpdatedAgo } from '../../components/UpdatedAgo';
import { useTenantId } from '../../layout/useTenantId';
import { REPLICATION_POLL_MS, useRuleHealth } from '../rules/api';
import { HealthBadge } from '../rules/HealthBadge';
import { bucketLabel } from '../rules/labels';
import { rulePage, ruleFailedObjectsPage, rulesPage } from '../rules/paths';
import { formatBytes, formatMinutes, formatSeconds } from '../rules/replicationFormat';
import { useTenantTrusts } from '../rules/useTenantTrusts';

/** One row of the overview: a rule's destination. */
interface Row {
  rule: RuleHealth;
  destination: DestinationHealth;
}

const STATE_ORDER: HealthState[] = ['FAILING', 'LAGGING', 'PAUSED', 'HEALTHY'];

function columns(tenantId: string, nameOf: (trustId: string) => string): Column<Row>[] {
  return [
    { header: 'State', cell: ({ destination }) => <HealthBadge state={destination.state} /> },
    {
      header: 'Rule',
      cell: ({ rule }) => (
        <Anchor component={Link} to={rulePage(tenantId, rule.ruleId)}>
          {rule.name}
        </Anchor>
      ),
    },
    { header: 'Destination', cell: ({ destination }) => bucketLabel(destination, nameOf) },
    {
      header: 'Pending',
      cell: ({ destination }) =>
        destination.operationsPending === 0
          ? '—'
          : `${destination.operationsPending.toLocaleString()} · ${formatBytes(destination.bytesPending)}`,
    },
    {
      header: 'Lag now',
      cell: ({ rule, destination }) => (
        <Text size="sm" span c={destination.state === 'LAGGING' ? 'orange' : undefined}>
          {destination.operationsPending === 0
            ? '—'
            : formatSeconds(destination.replicationLatencySeconds)}{' '}
          <Text span size="xs" c="gray.7">
            of {formatMinutes(rule.thresholdMinutes)}
          </Text>
        </Text>
      ),
    },
    {
      header: 'Failed (1 h)',
      cell: ({ rule, destination }) =>
        destination.operationsFailed === 0 ? (
          '0'
        ) : (
          <Anchor component={Link} to={ruleFailedObjectsPage(tenantId, rule.ruleId)} c="red">
            {destination.operationsFailed.toLocaleString()}
          </Anchor>
        ),
    },
    {
      header: 'Retrying',
      cell: ({ destination }) =>
        destination.operationsRetrying === 0
          ? '0'
          : destination.operationsRetrying.toLocaleString(),
    },
    {
      header: 'Replicated (1 h)',
      cell: ({ destination }) => <Throughput destination={destination} />,
    },
  ];
}

function Throughput({ destination }: { destination: DestinationHealth }) {
  const perMinute = destination.throughput.map((minute) => minute.operationsReplicated);
  const total = perMinute.reduce((sum, n) => sum + n, 0);
  return (
    <Group gap="xs" wrap="nowrap">
      <Sparkline
        w={96}
        h={24}
        data={perMinute}
        curveType="linear"
        color="blue.8"
        fillOpacity={0.3}
        strokeWidth={1.5}
        // The total beside it says it in words; inert keeps recharts' keyboard layer from making
        // every row's sparkline a tab stop.
        aria-hidden
        inert
      />
      <Text size="sm" span>
        {total.toLocaleString()}
      </Text>
    </Group>
  );
}

function summary(rules: RuleHealth[]): string {
  if (rules.length === 0) {
    return '';
  }
  const counts = STATE_ORDER.map((state) => ({
    state,
    n: rules.filter((rule) => rule.state === state).length,
  })).filter(({ n }) => n > 0);
  const parts = counts.map(({ state, n }) => `${n} ${state.toLowerCase()}`);
  return `${rules.length === 1 ? '1 rule' : `${rules.length} rules`}: ${parts.join(', ')}`;
}

/** The tenant's landing page: every rule's health at a glance, worst first, refreshed while it is shown. */
export function OverviewPage() {
  const tenantId = useTenantId();
  const health = useRuleHealth(tenantId, useCursorParam());
  const { nameOf } = useTenantTrusts(tenantId);
  const rules = health.data?.items;
  const rows = rules
    ?.flatMap((rule) => rule.destinations.map((destination) => ({ rule, destination })))
    .sort(
      (a, b) => STATE_ORDER.indexOf(a.destination.state) - STATE_ORDER.indexOf(b.destination.state),
    );
  return (
    <Stack>
      <PageHeader title="Overview">
        Every rule and destination as it is now: versions pending and the lag against the rule's
        replication-time threshold, failures and retries in the last hour, and what was replicated
        minute by minute. <b>Failing</b>: a version failed in the last hour, or pending ones keep
        failing and are retried. <b>Lagging</b>: the oldest pending version is older than the
        threshold. <b>Paused</b>: the rule is disabled. Worst first; the figures refresh every{' '}
        {REPLICATION_POLL_MS / 1000} seconds while versions are pending.
      </PageHeader>
      <ProblemAlert error={health.error} />
      <Group justify="space-between">
        <Text size="sm" fw={500} data-testid="health-summary">
          {rules ? summary(rules) : ''}
        </Text>
        <UpdatedAgo updatedAt={health.dataUpdatedAt} what="Overview" />
      </Group>
      <DataTable
        columns={columns(tenantId, nameOf)}
        rows={rows}
        rowKey={({ rule, destination }) =>
          `${rule.ruleId}/${destination.trustId}/${destination.bucket}`
        }
        loading={health.isPending}
        emptyText="No rules yet: create one on the Rules page to see its health here."
      />
      {rules?.length === 0 && (
        <Anchor component={Link} to={rulesPage(tenantId)} size="sm">
          Go to the rules
        </Anchor>
      )}
      <CursorPager nextCursor={health.data?.nextCursor} />
    </Stack>
  );
}
