import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { ROLES, type CreatedToken } from '../../api/types';
import { ProblemAlert } from '../../components/ProblemAlert';
import { RoleSelect } from '../../components/RoleSelect';
import { useCreateToken } from './api';

const schema = z.object({
  name: z.string().trim().min(1, 'Enter a name that says where the token is used'),
  role: z.enum(ROLES),
});

type TokenFormValues = z.infer<typeof schema>;

interface CreateTokenFormProps {
  tenantId: string;
  onCreated: (token: CreatedToken) => void;
}

export function CreateTokenForm({ tenantId, onCreated }: CreateTokenFormProps) {
  const createToken = useCreateToken(tenantId);
  const { register, handleSubmit, formState, reset } = useForm<TokenFormValues>({
    resolver: zodResolver(schema),
    defaultValues: { name: '', role: 'VIEWER' },
  });
  const submit = handleSubmit((values) =>
    createToken.mutate(values, {
      onSuccess: (token) => {
        reset();
        onCreated(token);
      },
    }),
  );
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="xs">
        <ProblemAlert error={createToken.error} />
        <Group align="flex-start">
          <TextInput
            w={260}
            label="Token name"
            error={formState.errors.name?.message}
            {...register('name')}
          />
          <RoleSelect error={formState.errors.role?.message} {...register('role')} />
          <Button type="submit" mt={25} loading={createToken.isPending}>
            Create token
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
