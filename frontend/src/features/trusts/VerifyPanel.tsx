import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Loader, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useVerifyTrust } from './api';
import { VerifyResults } from './VerifyResults';

const schema = z.object({
  bucket: z
    .string()
    .trim()
    .min(1, 'Enter the name of a bucket')
    .regex(
      /^[a-zA-Z0-9][a-zA-Z0-9._-]{1,61}[a-zA-Z0-9]$/,
      'Enter a bucket name: 3 to 63 letters, digits, dots and hyphens',
    ),
});

/** Probes one bucket through the trust, without changing any data. */
export function VerifyPanel({ tenantId, trustId }: { tenantId: string; trustId: string }) {
  const verify = useVerifyTrust(tenantId, trustId);
  const { register, handleSubmit, formState } = useForm({
    resolver: zodResolver(schema),
    defaultValues: { bucket: '' },
  });
  const submit = handleSubmit(({ bucket }) => verify.mutate(bucket));
  return (
    <Paper withBorder p="md" maw={800}>
      <Stack gap="sm">
        <Title order={2} size="h3">
          Verify a bucket
        </Title>
        <Text size="sm" c="dimmed">
          Checks that the credentials work, that the bucket exists in the region, that versioning is
          enabled (replication needs it on both the source and the destination bucket), the
          bucket&apos;s object lock state, and the list, read and write permissions, probed without
          changing any data. A check whose probe got a server error, or that the store does not
          offer (Ceph RGW has no GetCallerIdentity, so the account stays unknown), is shown as not
          determined with the store&apos;s answer: that is no evidence of a missing permission.
        </Text>
        <form onSubmit={submit} noValidate>
          <Group align="flex-start">
            <TextInput
              w={320}
              label="Bucket"
              autoComplete="off"
              error={formState.errors.bucket?.message}
              {...register('bucket')}
            />
            <Button type="submit" mt={25} loading={verify.isPending}>
              Verify
            </Button>
          </Group>
        </form>
        {verify.isPending && (
          <Group gap="xs" role="status">
            <Loader size="xs" />
            <Text size="sm">Checking bucket {verify.variables}… this can take a few seconds.</Text>
          </Group>
        )}
        <ProblemAlert error={verify.error} />
        {verify.data && !verify.isPending && <VerifyResults result={verify.data} />}
      </Stack>
    </Paper>
  );
}
