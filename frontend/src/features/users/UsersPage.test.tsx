import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, stubFetch } from '../../test/fetchStub';
import { renderApp, TENANT_ID, tenantMember } from '../../test/renderApp';

const usersPath = `/api/v1/tenants/${TENANT_ID}/users`;

function stubUsersApi() {
  return stubFetch({
    'GET /api/v1/auth/me': () => json(200, tenantMember('ADMIN')),
    [`GET /api/v1/tenants/${TENANT_ID}`]: () =>
      json(200, { id: TENANT_ID, name: 'Acme', createdAt: '2026-01-01T00:00:00Z' }),
    [`GET ${usersPath}`]: () =>
      json(200, {
        items: [
          { id: 'u-1', email: 'ada@example.com', role: 'ADMIN', createdAt: '2026-01-02T00:00:00Z' },
        ],
        nextCursor: null,
      }),
    [`POST ${usersPath}`]: (request) =>
      json(201, { id: 'u-2', createdAt: '2026-03-01T00:00:00Z', ...(request.body as object) }),
  });
}

describe('UsersPage', () => {
  it('refuses a malformed email and a short password without calling the server', async () => {
    const requests = stubUsersApi();
    const { user } = renderApp(`/tenants/${TENANT_ID}/users`);

    await user.type(await screen.findByLabelText('Email'), 'grace');
    await user.type(screen.getByLabelText('Password'), 'too-short');
    await user.click(screen.getByRole('button', { name: 'Create user' }));

    expect(await screen.findByText('Enter a valid email address')).toBeInTheDocument();
    expect(screen.getByText('Use at least 12 characters')).toBeInTheDocument();
    expect(requests.some((request) => request.method === 'POST')).toBe(false);
  });

  it('creates a user with the chosen role', async () => {
    const requests = stubUsersApi();
    const { user } = renderApp(`/tenants/${TENANT_ID}/users`);

    expect(await screen.findByText('ada@example.com')).toBeInTheDocument();
    await user.type(screen.getByLabelText('Email'), 'grace@example.com');
    await user.type(screen.getByLabelText('Password'), 'a long enough password');
    await user.selectOptions(screen.getByLabelText('Role'), 'ADMIN');
    await user.click(screen.getByRole('button', { name: 'Create user' }));

    await waitFor(() =>
      expect(requests.find((request) => request.method === 'POST')?.body).toEqual({
        email: 'grace@example.com',
        password: 'a long enough password',
        role: 'ADMIN',
      }),
    );
    await waitFor(() => expect(screen.getByLabelText('Email')).toHaveValue(''));
  });
});
