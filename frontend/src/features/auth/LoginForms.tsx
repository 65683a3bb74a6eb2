import { zodResolver } from '@hookform/resolvers/zod';
import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import type { Login } from '../../api/types';

interface LoginFormProps {
  onSubmit: (credentials: Login) => void;
  pending: boolean;
}

const passwordSchema = z.object({
  email: z.email('Enter a valid email address'),
  password: z.string().min(1, 'Enter your password'),
});

export function PasswordLoginForm({ onSubmit, pending }: LoginFormProps) {
  const { register, handleSubmit, formState } = useForm({
    resolver: zodResolver(passwordSchema),
    defaultValues: { email: '', password: '' },
  });
  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate>
      <Stack>
        <TextInput
          label="Email"
          type="email"
          autoComplete="username"
          error={formState.errors.email?.message}
          {...register('email')}
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          error={formState.errors.password?.message}
          {...register('password')}
        />
        <Button type="submit" loading={pending}>
          Sign in
        </Button>
      </Stack>
    </form>
  );
}

const tokenSchema = z.object({
  token: z.string().trim().min(1, 'Paste an API token'),
});

export function TokenLoginForm({ onSubmit, pending }: LoginFormProps) {
  const { register, handleSubmit, formState } = useForm({
    resolver: zodResolver(tokenSchema),
    defaultValues: { token: '' },
  });
  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate>
      <Stack>
        <PasswordInput
          label="API token"
          autoComplete="off"
          error={formState.errors.token?.message}
          {...register('token')}
        />
        <Button type="submit" loading={pending}>
          Sign in
        </Button>
      </Stack>
    </form>
  );
}
