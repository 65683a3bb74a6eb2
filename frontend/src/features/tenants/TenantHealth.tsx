import { Group, Text } from '@mantine/core';
import type { HealthState, RuleHealth } from '../../api/types';
import { useRuleHealth } from '../rules/api';
import { HealthBadge } from '../rules/HealthBadge';

/** The state a tenant is in: the worst of its enabled rules (paused ones need no attention). */
export function tenantState(rules: RuleHealth[]): HealthState | null {
  if (rules.length === 0) {
    return null;
  }
  for (const state of ['FAILING', 'LAGGING'] as const) {
    if (rules.some((rule) => rule.state === state)) {
      return state;
    }
  }
  return rules.some((rule) => rule.state === 'HEALTHY') ? 'HEALTHY' : 'PAUSED';
}

/** A tenant's health for the platform administrator's tenants list: its state and how many rules need attention. */
export function TenantHealth({ tenantId }: { tenantId: string }) {
  const health = useRuleHealth(tenantId, null);
  const rules = health.data?.items;
  if (health.error) {
    return (
      <Text size="sm" c="gray.7">
        Unknown
      </Text>
    );
  }
  if (!rules) {
    return null;
  }
  const state = tenantState(rules);
  if (state === null) {
    return (
      <Text size="sm" c="gray.7">
        No rules
      </Text>
    );
  }
  const troubled = rules.filter((rule) => rule.state === 'FAILING' || rule.state === 'LAGGING');
  return (
    <Group gap="xs" wrap="nowrap">
      <HealthBadge state={state} />
      <Text size="sm" span>
        {troubled.length > 0
          ? `${troubled.length} of ${rules.length} ${rules.length === 1 ? 'rule' : 'rules'}`
          : `${rules.length} ${rules.length === 1 ? 'rule' : 'rules'}`}
        {health.data?.nextCursor ? ' (first page)' : ''}
      </Text>
    </Group>
  );
}
