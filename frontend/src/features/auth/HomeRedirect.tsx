import { Navigate } from 'react-router';
import { homePath, useCurrentUser } from './session';

export function HomeRedirect() {
  return <Navigate to={homePath(useCurrentUser())} replace />;
}
