import { AppShell, Burger, Group, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Outlet, useMatch } from 'react-router';
import { useCurrentUser } from '../features/auth/session';
import { Navigation } from './Navigation';
import { UserMenu } from './UserMenu';

/** The frame of every signed-in page: header with the principal and sign-out, navigation on the left. */
export function AppLayout() {
  const me = useCurrentUser();
  const tenantRoute = useMatch('/tenants/:tenantId/*');
  const tenantId = tenantRoute?.params.tenantId ?? me.tenantId;
  const [navigationOpened, { toggle, close }] = useDisclosure(false);
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navigationOpened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navigationOpened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            {/* The product's name, not a heading: each page's title is its h1. */}
            <Text fz="h3" fw={700}>
              Replicator
            </Text>
          </Group>
          <UserMenu me={me} />
        </Group>
      </AppShell.Header>
      {/* On a phone, following a link closes the navigation; choosing a tenant in it does not. */}
      <AppShell.Navbar
        p="xs"
        onClick={(event) => {
          if (event.target instanceof Element && event.target.closest('a')) {
            close();
          }
        }}
      >
        <Navigation platformAdmin={me.platformAdmin} tenantId={tenantId ?? null} />
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
