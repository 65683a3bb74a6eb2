import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { ROLES } from '../../api/types';
import { ProblemAlert } from '../../components/ProblemAlert';
import { RoleSelect } from '../../components/RoleSelect';
import { useCreateUser } from './api';

export const MIN_PASSWORD_LENGTH = 12;

const schema = z.object({
  email: z.email('Enter a valid email address'),
  password: z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`),
  role: z.enum(ROLES),
});

type UserFormValues = z.infer<typeof schema>;

export function CreateUserForm({ tenantId }: { tenantId: string }) {
  const createUser = useCreateUser(tenantId);
  const { register, handleSubmit, formState, reset } = useForm<UserFormValues>({
    resolver: zodResolver(schema),
    defaultValues: { email: '', password: '', role: 'VIEWER' },
  });
  const submit = handleSubmit((values) => createUser.mutate(values, { onSuccess: () => reset() }));
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="xs">
        <ProblemAlert error={createUser.error} />
        <Group align="flex-start">
          <TextInput
            w={260}
            label="Email"
            type="email"
            autoComplete="off"
            error={formState.errors.email?.message}
            {...register('email')}
          />
          <PasswordInput
            w={220}
            label="Password"
            autoComplete="new-password"
            error={formState.errors.password?.message}
            {...register('password')}
          />
          <RoleSelect error={formState.errors.role?.message} {...register('role')} />
          <Button type="submit" mt={25} loading={createUser.isPending}>
            Create user
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
