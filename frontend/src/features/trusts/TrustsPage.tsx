import { Anchor, Button, Code, Group, Stack } from '@mantine/core';
import { Link } from 'react-router';
import type { Trust } from '../../api/types';
import { CursorPager, useCursorParam } from '../../components/CursorPager';
import { type Column, DataTable } from '../../components/DataTable';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { Timestamp } from '../../components/Timestamp';
import { useTenantId } from '../../layout/useTenantId';
import { canAdministerTenant, useCurrentUser } from '../auth/session';
import { useTrusts } from './api';
import { trustEndpoint } from './labels';
import { trustPage, trustsPage } from './paths';
import { TrustTypeBadge } from './TrustTypeBadge';
import { LastVerification } from './VerificationBadge';

function columns(tenantId: string): Column<Trust>[] {
  return [
    {
      header: 'Name',
      cell: (trust) => (
        <Anchor component={Link} to={trustPage(tenantId, trust.id)}>
          {trust.name}
        </Anchor>
      ),
    },
    { header: 'Type', cell: (trust) => <TrustTypeBadge type={trust.type} /> },
    { header: 'Endpoint', cell: (trust) => trustEndpoint(trust) },
    { header: 'Region', cell: (trust) => trust.region },
    {
      header: 'Access key ID / role ARN',
      cell: (trust) => <Code>{trust.accessKeyId ?? trust.roleArn ?? '—'}</Code>,
    },
    {
      header: 'Last verified',
      cell: (trust) => <LastVerification last={trust.lastVerification} />,
    },
    { header: 'Created', cell: (trust) => <Timestamp value={trust.createdAt} /> },
  ];
}

export function TrustsPage() {
  const tenantId = useTenantId();
  const canAdminister = canAdministerTenant(useCurrentUser(), tenantId);
  const trusts = useTrusts(tenantId, useCursorParam());
  return (
    <Stack>
      <PageHeader title="Trusts">
        A trust is how Replicator reaches this tenant&apos;s buckets, in its own or another account,
        on AWS S3 or an S3-compatible store such as MinIO, Ceph, R2, Wasabi or B2: either with an
        access key pair or by assuming an IAM role. Secret keys are encrypted at rest and never
        shown again. Last verified shows the newest bucket check made through each trust.
      </PageHeader>
      {canAdminister && (
        <Group>
          <Button component={Link} to={`${trustsPage(tenantId)}/new`}>
            New trust
          </Button>
        </Group>
      )}
      <ProblemAlert error={trusts.error} />
      <DataTable
        columns={columns(tenantId)}
        rows={trusts.data?.items}
        rowKey={(trust) => trust.id}
        loading={trusts.isPending}
        emptyText="No trusts yet."
      />
      <CursorPager nextCursor={trusts.data?.nextCursor} />
    </Stack>
  );
}
