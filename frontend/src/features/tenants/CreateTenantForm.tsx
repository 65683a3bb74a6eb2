import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useCreateTenant } from './api';

const schema = z.object({
  name: z.string().trim().min(1, 'Enter a name for the tenant'),
});

export function CreateTenantForm() {
  const createTenant = useCreateTenant();
  const { register, handleSubmit, formState, reset } = useForm({
    resolver: zodResolver(schema),
    defaultValues: { name: '' },
  });
  const submit = handleSubmit((values) =>
    createTenant.mutate(values, { onSuccess: () => reset() }),
  );
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="xs">
        <ProblemAlert error={createTenant.error} />
        <Group align="flex-start">
          <TextInput
            w={260}
            label="Tenant name"
            error={formState.errors.name?.message}
            {...register('name')}
          />
          <Button type="submit" mt={25} loading={createTenant.isPending}>
            Create tenant
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
