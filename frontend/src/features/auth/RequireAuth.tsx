import { Center, Loader } from '@mantine/core';
import { Navigate, Outlet } from 'react-router';
import { isApiError } from '../../api/client';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useMe } from './api';

/** Renders its child routes only for a signed-in principal; sends everyone else to /login. */
export function RequireAuth() {
  const me = useMe();
  if (me.data) {
    return <Outlet />;
  }
  if (isApiError(me.error, 401)) {
    return <Navigate to="/login" replace />;
  }
  if (me.error) {
    return (
      <Center p="xl">
        <ProblemAlert error={me.error} />
      </Center>
    );
  }
  return (
    <Center p="xl">
      <Loader aria-label="Loading" />
    </Center>
  );
}
