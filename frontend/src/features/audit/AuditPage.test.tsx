import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../api/types';
import { json, stubFetch } from '../../test/fetchStub';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';

const auditPath = `/api/v1/tenants/${TENANT_ID}/audit`;

function event(id: string, action: string): AuditEvent {
  return {
    id,
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
});
