import '@mantine/core/styles.css';
// Charts styles after the core styles, as @mantine/charts asks.
import '@mantine/charts/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { createQueryClient } from './api/queryClient';
import { AppProviders } from './AppProviders';
import { routes } from './routes';

const router = createBrowserRouter(routes);

const queryClient = createQueryClient({
  // The session ended (expired, signed out elsewhere, server restarted): sign in again.
  onUnauthorized: () => {
    if (router.state.location.pathname !== '/login') {
      void router.navigate('/login', { replace: true });
    }
  },
});

const root = document.getElementById('root');
if (!root) {
  throw new Error('index.html has no #root element');
}

createRoot(root).render(
  <StrictMode>
    <AppProviders queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>
  </StrictMode>,
);
