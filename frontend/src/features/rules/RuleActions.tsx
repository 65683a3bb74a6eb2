import { Button, Group } from '@mantine/core';
import { Link } from 'react-router';
import type { Rule } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { rulePage } from './paths';

interface RuleActionsProps {
  tenantId: string;
  rule: Rule;
  onToggle: () => void;
  toggling: boolean;
  onDelete: () => void;
  deleting: boolean;
}

/** Edit, enable or disable, and delete: for tenant administrators. */
export function RuleActions({
  tenantId,
  rule,
  onToggle,
  toggling,
  onDelete,
  deleting,
}: RuleActionsProps) {
  return (
    <Group gap="xs">
      <Button component={Link} to={`${rulePage(tenantId, rule.id)}/edit`} size="xs">
        Edit
      </Button>
      <Button size="xs" variant="default" loading={toggling} onClick={onToggle}>
        {rule.status === 'ENABLED' ? 'Disable' : 'Enable'}
      </Button>
      <ConfirmButton
        label="Delete"
        title="Delete rule"
        message={`Delete "${rule.name}"? Replication by this rule stops; replicas already made stay in the destination buckets.`}
        loading={deleting}
        onConfirm={onDelete}
      />
    </Group>
  );
}
