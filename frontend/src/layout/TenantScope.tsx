import { Outlet } from 'react-router';
import { useTenantId } from './useTenantId';

/** Renders the pages of one tenant afresh when the tenant changes, so no state (such as a new token's secret) carries over. */
export function TenantScope() {
  return <Outlet key={useTenantId()} />;
}
