import { useMe } from './api';
import type { Me } from '../../api/types';

/** Where a principal starts: the platform administrator manages tenants, everyone else their own tenant. */
export function homePath(me: Me): string {
  if (me.platformAdmin || !me.tenantId) {
    return '/tenants';
  }
  return `/tenants/${encodeURIComponent(me.tenantId)}/overview`;
}

/** Whether me may create and revoke tokens and users of the tenant (the server checks again). */
export function canAdministerTenant(me: Me, tenantId: string): boolean {
  return me.platformAdmin || (me.tenantId === tenantId && me.role === 'ADMIN');
}

/** Whether me may run operations in the tenant, such as verifying a trust: ADMIN and OPERATOR (the server checks again). */
export function canOperateTenant(me: Me, tenantId: string): boolean {
  return (
    me.platformAdmin ||
    (me.tenantId === tenantId && (me.role === 'ADMIN' || me.role === 'OPERATOR'))
  );
}

/** The signed-in principal; only for components rendered inside RequireAuth. */
export function useCurrentUser(): Me {
  const { data } = useMe();
  if (!data) {
    throw new Error('useCurrentUser() used outside RequireAuth');
  }
  return data;
}
