import { Alert, Anchor, Button, Group, Stack } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import type { HealthState, Rule } from '../../api/types';
import { CursorPager, useCursorParam } from '../../components/CursorPager';
import { type Column, DataTable } from '../../components/DataTable';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { Timestamp } from '../../components/Timestamp';
import { UpdatedAgo } from '../../components/UpdatedAgo';
import { IDLE_POLL_MS } from '../../api/polling';
import { useTenantId } from '../../layout/useTenantId';
import { canAdministerTenant, useCurrentUser } from '../auth/session';
import { useRuleHealth, useRules } from './api';
import { HealthBadge } from './HealthBadge';
import { bucketLabel, destinationsSummary, filterSummary } from './labels';
import { importRulesPage, rulePage, rulesPage } from './paths';
import { RuleStatusBadge } from './RuleStatusBadge';
import { useTenantTrusts } from './useTenantTrusts';

function columns(
  tenantId: string,
  nameOf: (trustId: string) => string,
  healthOf: (ruleId: string) => HealthState | undefined,
): Column<Rule>[] {
  return [
    {
      header: 'Name',
      cell: (rule) => (
        <Anchor component={Link} to={rulePage(tenantId, rule.id)}>
          {rule.name}
        </Anchor>
      ),
    },
    {
      header: 'Health',
      cell: (rule) => {
        const state = healthOf(rule.id);
        return state ? <HealthBadge state={state} /> : '—';
      },
    },
    { header: 'Status', cell: (rule) => <RuleStatusBadge status={rule.status} /> },
    { header: 'Priority', cell: (rule) => rule.priority },
    { header: 'Source', cell: (rule) => bucketLabel(rule.source, nameOf) },
    { header: 'Destinations', cell: (rule) => destinationsSummary(rule, nameOf) },
    { header: 'Filter', cell: (rule) => filterSummary(rule.filter) },
    { header: 'Created', cell: (rule) => <Timestamp value={rule.createdAt} /> },
  ];
}

/** Set by the import page when it brings the user here. */
export interface RulesPageState {
  imported?: number;
}

export function RulesPage() {
  const tenantId = useTenantId();
  const canAdminister = canAdministerTenant(useCurrentUser(), tenantId);
  const cursor = useCursorParam();
  const rules = useRules(tenantId, cursor);
  const health = useRuleHealth(tenantId, cursor);
  const healthOf = (ruleId: string) =>
    health.data?.items.find((item) => item.ruleId === ruleId)?.state;
  const { nameOf } = useTenantTrusts(tenantId);
  const imported = (useLocation().state as RulesPageState | null)?.imported;
  return (
    <Stack>
      <PageHeader title="Replication rules">
        A rule replicates the objects of one source bucket to one or more destination buckets, each
        reached through its own trust, so destinations can be in another account or on another
        store, as with AWS S3 Replication. Live replication covers the versions written after the
        rule was created; earlier ones are replicated by a batch job, like S3 Batch Replication. The
        source bucket needs versioning enabled (checked when a rule is created or enabled), and so
        do the destination buckets. Health is the rule's state now, as on the Overview: failing,
        lagging, paused or healthy. The list refreshes every {IDLE_POLL_MS / 1000} seconds.
      </PageHeader>
      {imported !== undefined && (
        <Alert color="green" title="Imported" data-testid="import-result">
          Created {imported === 1 ? '1 rule' : `${imported} rules`} from the AWS replication
          configuration.
        </Alert>
      )}
      {canAdminister && (
        <Group>
          <Button component={Link} to={`${rulesPage(tenantId)}/new`}>
            New rule
          </Button>
          <Button component={Link} to={importRulesPage(tenantId)} variant="default">
            Import AWS configuration
          </Button>
        </Group>
      )}
      <ProblemAlert error={rules.error} />
      <UpdatedAgo updatedAt={rules.dataUpdatedAt} what="Rules" />
      <DataTable
        columns={columns(tenantId, nameOf, healthOf)}
        rows={rules.data?.items}
        rowKey={(rule) => rule.id}
        loading={rules.isPending}
        emptyText="No rules yet."
      />
      <CursorPager nextCursor={rules.data?.nextCursor} />
    </Stack>
  );
}
