import { Badge } from '@mantine/core';
import type { Role } from '../api/types';

const ROLE_COLORS: Record<Role, string> = {
  ADMIN: 'red',
  OPERATOR: 'blue',
  VIEWER: 'gray',
};

export function RoleBadge({ role }: { role: Role }) {
  return (
    <Badge color={ROLE_COLORS[role]} variant="light">
      {role}
    </Badge>
  );
}
