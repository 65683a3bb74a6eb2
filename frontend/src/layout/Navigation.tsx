import { NavLink, Text } from '@mantine/core';
import { Link, useMatch } from 'react-router';
import { useTenant } from '../features/tenants/api';
import { TenantSwitcher } from './TenantSwitcher';

interface NavigationProps {
  platformAdmin: boolean;
  tenantId: string | null;
}

export function Navigation({ platformAdmin, tenantId }: NavigationProps) {
  return (
    <nav aria-label="Main">
      {platformAdmin && <NavItem to="/tenants" label="Tenants" end />}
      {platformAdmin && <TenantSwitcher tenantId={tenantId} />}
      {tenantId && <TenantNavigation tenantId={tenantId} named={!platformAdmin} />}
    </nav>
  );
}

/** The pages of one tenant, under its name unless the tenant switcher above names it. */
function TenantNavigation({ tenantId, named }: { tenantId: string; named: boolean }) {
  const tenant = useTenant(tenantId);
  const base = `/tenants/${encodeURIComponent(tenantId)}`;
  return (
    <>
      {named && (
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="md" pb={4} truncate>
          {tenant.data?.name ?? 'Tenant'}
        </Text>
      )}
      <NavItem to={`${base}/overview`} label="Overview" />
      <NavItem to={`${base}/trusts`} label="Trusts" />
      <NavItem to={`${base}/rules`} label="Rules" />
      <NavItem to={`${base}/batch-jobs`} label="Batch jobs" />
      <NavItem to={`${base}/webhooks`} label="Webhooks" />
      <NavItem to={`${base}/tokens`} label="API tokens" />
      <NavItem to={`${base}/users`} label="Users" />
      <NavItem to={`${base}/audit`} label="Audit log" />
    </>
  );
}

function NavItem({ to, label, end = false }: { to: string; label: string; end?: boolean }) {
  const active = useMatch({ path: to, end }) !== null;
  return (
    <NavLink
      component={Link}
      to={to}
      label={label}
      active={active}
      aria-current={active ? 'page' : undefined}
    />
  );
}
