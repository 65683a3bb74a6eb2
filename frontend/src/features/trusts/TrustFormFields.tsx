import { Checkbox, Fieldset, NativeSelect, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useFormContext } from 'react-hook-form';
import { COMPATIBILITIES } from '../../api/types';
import type { TrustFormValues } from './trustForm';

export const ENDPOINT_HELP =
  'Leave empty for AWS S3. For MinIO, Ceph, R2, Wasabi, B2: the S3 API URL, e.g. https://s3.eu-central-1.wasabisys.com';

export const COMPATIBILITY_HELP =
  'AUTO treats endpoints other than AWS as S3-compatible: checksums only when required and no chunked uploads, which Ceph and others need';

/** Where the buckets are: the S3 API and its region. */
export function ConnectionFields() {
  const { register, formState } = useFormContext<TrustFormValues>();
  const { errors } = formState;
  return (
    <Fieldset legend="Connection">
      <Stack gap="sm">
        <TextInput
          label="Endpoint"
          placeholder="https://s3.example.com"
          description={ENDPOINT_HELP}
          autoComplete="off"
          error={errors.endpoint?.message}
          {...register('endpoint')}
        />
        <TextInput
          label="Region"
          autoComplete="off"
          error={errors.region?.message}
          {...register('region')}
        />
        <Checkbox
          label="Path-style addressing"
          description="Needed by most self-hosted stores (MinIO, Ceph): the bucket goes in the URL path rather than the host name."
          error={errors.pathStyle?.message}
          {...register('pathStyle')}
        />
      </Stack>
    </Fieldset>
  );
}

/** An access key pair. The secret is write-only: editing may leave it empty to keep the stored one. */
export function StaticCredentialFields({ editing }: { editing: boolean }) {
  const { register, formState } = useFormContext<TrustFormValues>();
  const { errors } = formState;
  return (
    <Fieldset legend="Access keys">
      <Stack gap="sm">
        <TextInput
          label="Access key ID"
          autoComplete="off"
          error={errors.accessKeyId?.message}
          {...register('accessKeyId')}
        />
        <PasswordInput
          label="Secret access key"
          autoComplete="new-password"
          description={
            editing
              ? 'Leave empty to keep the stored secret. A new access key ID needs its secret.'
              : 'Stored encrypted and never shown again.'
          }
          error={errors.secretAccessKey?.message}
          {...register('secretAccessKey')}
        />
      </Stack>
    </Fieldset>
  );
}

/** The role Replicator assumes, with the external ID it generates. */
export function AssumeRoleFields() {
  const { register, formState } = useFormContext<TrustFormValues>();
  const { errors } = formState;
  return (
    <Fieldset legend="Assume role">
      <Stack gap="sm">
        <TextInput
          label="Role ARN"
          placeholder="arn:aws:iam::123456789012:role/replicator"
          description="Replicator generates the external ID; after saving, put the trust policy shown on the trust's page on this role."
          autoComplete="off"
          error={errors.roleArn?.message}
          {...register('roleArn')}
        />
        <TextInput
          label="STS endpoint"
          placeholder="https://sts.us-east-1.amazonaws.com"
          description="Leave empty for AWS STS in the region."
          autoComplete="off"
          error={errors.stsEndpoint?.message}
          {...register('stsEndpoint')}
        />
      </Stack>
    </Fieldset>
  );
}

export function AdvancedFields() {
  const { register, formState } = useFormContext<TrustFormValues>();
  return (
    <Fieldset legend="Advanced">
      <NativeSelect
        label="Compatibility"
        data={[...COMPATIBILITIES]}
        description={COMPATIBILITY_HELP}
        error={formState.errors.compatibility?.message}
        {...register('compatibility')}
      />
    </Fieldset>
  );
}
