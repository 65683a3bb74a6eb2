import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { flushSync } from 'react-dom';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { createQueryClient } from '../api/queryClient';
import type { Me } from '../api/types';
import { AppProviders } from '../AppProviders';
import { routes } from '../routes';

/** Renders the whole app (real routes, real query client) at path, as the browser would. */
export function renderApp(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const queryClient = createQueryClient({
    onUnauthorized: () => void router.navigate('/login', { replace: true }),
  });
  render(
    <AppProviders queryClient={queryClient} env="test">
      {/* As react-router/dom's RouterProvider does in main.tsx, so that flushSync navigations flush. */}
      <RouterProvider router={router} flushSync={(update) => void flushSync(update)} />
    </AppProviders>,
  );
  return { router, user: userEvent.setup() };
}

export const TENANT_ID = 'b3f1c2d4-0000-4000-8000-000000000001';

export function tenantMember(role: Me['role']): Me {
  return { kind: 'USER', tenantId: TENANT_ID, role, name: 'ada@example.com', platformAdmin: false };
}

export const platformAdmin: Me = {
  kind: 'PLATFORM_ADMIN',
  tenantId: null,
  role: null,
  name: 'platform-admin',
  platformAdmin: true,
};
