import { Select } from '@mantine/core';
import { useMatch, useNavigate } from 'react-router';
import { useTenant, useTenantChoices } from '../features/tenants/api';

/**
 * The platform administrator's way between tenants: choosing one opens the same section (rules,
 * trusts, …) of that tenant, or its overview from elsewhere. A detail page (one rule) has no
 * counterpart in another tenant, so its section's list opens instead. A combobox, not a native
 * select: moving through the options with the keyboard opens nothing until one is chosen.
 */
export function TenantSwitcher({ tenantId }: { tenantId: string | null }) {
  const choices = useTenantChoices();
  const current = useTenant(tenantId);
  const section = useMatch('/tenants/:tenantId/:section/*')?.params.section ?? 'overview';
  const navigate = useNavigate();
  const tenants = choices.data?.items ?? [];
  const listed = tenants.some((tenant) => tenant.id === tenantId);
  const options = [
    ...tenants.map((tenant) => ({ value: tenant.id, label: tenant.name })),
    ...(tenantId && !listed && current.data ? [{ value: tenantId, label: current.data.name }] : []),
  ];
  return (
    <Select
      label="Tenant"
      placeholder="Choose a tenant…"
      size="xs"
      px="sm"
      pt="md"
      pb={4}
      searchable
      selectFirstOptionOnChange
      allowDeselect={false}
      nothingFoundMessage="No tenant has that name"
      value={tenantId && (listed || current.data) ? tenantId : null}
      data={options}
      error={choices.error ? 'The tenants could not be loaded; reload the page.' : undefined}
      onChange={(chosen) => {
        if (chosen && chosen !== tenantId) {
          navigate(`/tenants/${encodeURIComponent(chosen)}/${section}`);
        }
      }}
    />
  );
}
