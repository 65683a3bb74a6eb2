import { Button, Group, Text } from '@mantine/core';
import type { Me } from '../api/types';
import { RoleBadge } from '../components/RoleBadge';
import { useLogout } from '../features/auth/api';

/** Who is signed in, and the way out. */
export function UserMenu({ me }: { me: Me }) {
  const logout = useLogout();
  return (
    <Group gap="sm" wrap="nowrap">
      <Text size="sm" truncate visibleFrom="xs">
        {me.name}
      </Text>
      {me.platformAdmin ? (
        <Text size="xs" c="dimmed" visibleFrom="xs">
          platform administrator
        </Text>
      ) : (
        me.role && <RoleBadge role={me.role} />
      )}
      <Button
        variant="default"
        size="xs"
        onClick={() => logout.mutate()}
        loading={logout.isPending}
      >
        Sign out
      </Button>
    </Group>
  );
}
