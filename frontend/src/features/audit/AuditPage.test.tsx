import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { AuditEntry } from '../../api/types';
import { json, stubFetch } from '../../test/fetchStub';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';

const auditPath = `/api/v1/tenants/${TENANT_ID}/audit`;

function event(id: string, action: string): AuditEntry {
  return {
    id,
    tenantId: TENANT_ID,
    at: '2026-03-01T10:00:00Z',
    actor: 'ada@example.com',
    action,
    target: 'token ci',
    sourceIp: '203.0.113.7',
  };
}

describe('AuditPage', () => {
  it('pages forward with the cursor kept in the URL', async () => {
    const requests = stubFetch({
      'GET /api/v1/auth/me': () => json(200, tenantMember('VIEWER')),
      [`GET /api/v1/tenants/${TENANT_ID}`]: () =>
        json(200, { id: TENANT_ID, name: 'Acme', createdAt: '2026-01-01T00:00:00Z' }),
      [`GET ${auditPath}`]: (request) =>
        request.searchParams.get('cursor') === 'page-2'
          ? json(200, { items: [event('e-2', 'USER_CREATED')], nextCursor: null })
          : json(200, { items: [event('e-1', 'TOKEN_CREATED')], nextCursor: 'page-2' }),
    });
    const { user, router } = renderApp(`/tenants/${TENANT_ID}/audit`);

    expect(await screen.findByText('TOKEN_CREATED')).toBeInTheDocument();
    expect(screen.getByText('203.0.113.7')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Next page' }));

    expect(await screen.findByText('USER_CREATED')).toBeInTheDocument();
    expect(router.state.location.search).toBe('?cursor=page-2');
    expect(requests.at(-1)?.searchParams.get('cursor')).toBe('page-2');
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();
  });

  it('filters by action at once, and by actor and time range on Apply, starting at the first page', async () => {
    const requests = stubFetch({
      'GET /api/v1/auth/me': () => json(200, tenantMember('VIEWER')),
      [`GET /api/v1/tenants/${TENANT_ID}`]: () =>
        json(200, { id: TENANT_ID, name: 'Acme', createdAt: '2026-01-01T00:00:00Z' }),
      [`GET ${auditPath}`]: (request) =>
        json(200, {
          items: request.searchParams.has('action')
            ? [{ ...event('e-3', 'session.failed'), actor: 'anonymous' }]
            : [event('e-1', 'token.create')],
          nextCursor: null,
        }),
    });
    const { user, router } = renderApp(`/tenants/${TENANT_ID}/audit?cursor=page-2`);
    expect(await screen.findByText('token.create')).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Action'), 'Failed sign-ins');

    expect(await screen.findByText('session.failed')).toBeInTheDocument();
    expect(router.state.location.search).toBe('?action=session.failed');
    expect(requests.at(-1)?.searchParams.get('action')).toBe('session.failed');
    expect(requests.at(-1)?.searchParams.has('cursor')).toBe(false);

    await user.type(screen.getByLabelText('Actor contains'), 'ada@');
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-03-01T09:00' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-03-01T11:30' } });
    await user.click(screen.getByRole('button', { name: 'Apply' }));

    const since = new Date('2026-03-01T09:00').toISOString();
    const until = new Date('2026-03-01T11:30').toISOString();
    await vi.waitFor(() => expect(requests.at(-1)?.searchParams.get('until')).toBe(until));
    const filtered = requests.at(-1)!.searchParams;
    expect(filtered.get('action')).toBe('session.failed');
    expect(filtered.get('actor')).toBe('ada@');
    expect(filtered.get('since')).toBe(since);
    const search = new URLSearchParams(router.state.location.search);
    expect(search.get('since')).toBe(since);
    expect(search.get('until')).toBe(until);
    expect(screen.getByLabelText('From')).toHaveValue('2026-03-01T09:00');

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(await screen.findByText('token.create')).toBeInTheDocument();
    expect(router.state.location.search).toBe('');
    expect(screen.getByLabelText('Actor contains')).toHaveValue('');
  });

  it('refuses a time range that ends before it starts, without asking the server', async () => {
    const requests = stubFetch({
      'GET /api/v1/auth/me': () => json(200, tenantMember('VIEWER')),
      [`GET /api/v1/tenants/${TENANT_ID}`]: () =>
        json(200, { id: TENANT_ID, name: 'Acme', createdAt: '2026-01-01T00:00:00Z' }),
      [`GET ${auditPath}`]: () => json(200, { items: [], nextCursor: null }),
    });
    const { user, router } = renderApp(`/tenants/${TENANT_ID}/audit`);
    expect(await screen.findByText('Nothing recorded yet.')).toBeInTheDocument();
    const asked = requests.length;

    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-03-02T09:00' } });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-03-01T09:00' } });
    await user.click(screen.getByRole('button', { name: 'Apply' }));

    expect(await screen.findByText(/Must be after From/)).toBeInTheDocument();
    expect(screen.getByLabelText('To')).toHaveAttribute('aria-invalid', 'true');
    expect(router.state.location.search).toBe('');
    expect(requests).toHaveLength(asked);
  });
});
