import { Anchor, Code, Group, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { BatchJob } from '../../api/types';
import { CopyValueButton } from '../../components/CopyValueButton';
import { type DetailRow, DetailsTable } from '../../components/DetailsTable';
import { Timestamp } from '../../components/Timestamp';
import { rulePage } from '../rules/paths';
import { BatchJobStatusBadge } from './BatchJobStatusBadge';
import { manifestLabel, REPORT_SCOPE_LABELS } from './labels';

interface BatchJobDetailsProps {
  tenantId: string;
  job: BatchJob;
  ruleName: string;
  trustName: (trustId: string) => string;
}

/** What the job replicates, from where to where, and when. */
export function BatchJobDetails({ tenantId, job, ruleName, trustName }: BatchJobDetailsProps) {
  const rows: DetailRow[] = [
    [
      'Status',
      <Group key="status" gap="xs">
        <BatchJobStatusBadge status={job.status} failed={job.failed} />
        {job.statusDetail && <Text size="sm">{job.statusDetail}</Text>}
      </Group>,
    ],
    [
      'Rule',
      <Anchor key="rule" component={Link} to={rulePage(tenantId, job.ruleId)}>
        {ruleName}
      </Anchor>,
    ],
    ['Description', job.description ?? '—'],
    ['Objects', objectsLabel(job, trustName)],
    ...filterRows(job.filter),
    [
      'Destinations',
      job.destinations.length > 0 ? job.destinations.join(', ') : 'All destinations of the rule',
    ],
    ...reportRows(job, trustName),
    ['ID', <Code key="id">{job.id}</Code>],
    [
      'Created',
      <span key="created">
        <Timestamp value={job.createdAt} />
        {job.createdBy && ` by ${job.createdBy}`}
      </span>,
    ],
    ['Started', <Timestamp key="started" value={job.startedAt} empty="Not yet" />],
    ['Completed', <Timestamp key="completed" value={job.completedAt} empty="Not yet" />],
  ];
  return <DetailsTable rows={rows} data-testid="batch-job-details" />;
}

function objectsLabel(job: BatchJob, trustName: (trustId: string) => string): string {
  const { manifest } = job;
  if (manifest.source !== 'BUCKET') {
    return manifestLabel(manifest);
  }
  const version = manifest.versionId ? ` (version ${manifest.versionId})` : '';
  const trust = manifest.trustId ? `, through ${trustName(manifest.trustId)}` : '';
  return `Manifest ${manifestLabel(manifest)}${version}${trust}`;
}

function filterRows(filter: BatchJob['filter']): DetailRow[] {
  if (!filter) {
    return [];
  }
  return [
    ['Replication statuses', filter.replicationStatuses.join(', ')],
    ['Created after', <Timestamp key="after" value={filter.createdAfter} empty="Any time" />],
    ['Created before', <Timestamp key="before" value={filter.createdBefore} empty="Any time" />],
    ['Prefix', filter.prefix ? <Code key="prefix">{filter.prefix}</Code> : 'None (any key)'],
  ];
}

function reportRows(job: BatchJob, trustName: (trustId: string) => string): DetailRow[] {
  const { report } = job;
  if (!report) {
    return [['Completion report', 'Not written to a bucket']];
  }
  const where = `${trustName(report.trustId)} / ${report.bucket}${report.prefix ? `/${report.prefix}` : ''}`;
  return [
    ['Completion report', `${REPORT_SCOPE_LABELS[report.scope]}, to ${where}`],
    ['Report location', reportLocation(job)],
  ];
}

function reportLocation(job: BatchJob) {
  if (job.reportLocation) {
    return (
      <Group key="location" gap="xs" wrap="nowrap">
        <Code>{job.reportLocation}</Code>
        <CopyValueButton value={job.reportLocation} what="report location" />
      </Group>
    );
  }
  if (job.reportError) {
    return (
      <Text key="location" size="sm" c="red">
        Not written: {job.reportError}
      </Text>
    );
  }
  return 'Written when the job ends';
}
