import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../api/client';
import { pagePath } from '../../api/paging';
import type { CreateUser, User, UserPage } from '../../api/types';

const usersPath = (tenantId: string) => `/api/v1/tenants/${encodeURIComponent(tenantId)}/users`;

const userKeys = {
  all: (tenantId: string) => ['users', tenantId] as const,
  list: (tenantId: string, cursor: string | null) => ['users', tenantId, { cursor }] as const,
};

export function useUsers(tenantId: string, cursor: string | null) {
  return useQuery({
    queryKey: userKeys.list(tenantId, cursor),
    queryFn: ({ signal }) => apiFetch<UserPage>(pagePath(usersPath(tenantId), cursor), { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useCreateUser(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (user: CreateUser) =>
      apiFetch<User>(usersPath(tenantId), { method: 'POST', body: user }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all(tenantId) }),
  });
}

export function useRemoveUser(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) =>
      apiFetch<void>(`${usersPath(tenantId)}/${encodeURIComponent(userId)}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all(tenantId) }),
  });
}
