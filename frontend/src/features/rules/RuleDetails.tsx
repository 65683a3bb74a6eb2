import { Code, Stack, Title } from '@mantine/core';
import type { Rule, RuleDestination } from '../../api/types';
import { type DetailRow, DetailsTable } from '../../components/DetailsTable';
import { Timestamp } from '../../components/Timestamp';
import { bucketLabel, onOff, scanIntervalLabel, tagsLabel } from './labels';
import { formatMinutes } from './replicationFormat';

interface RuleDetailsProps {
  rule: Rule;
  nameOf: (trustId: string) => string;
}

/** Every setting of a rule but its status (shown above it on the rule page), then each destination's. */
export function RuleDetails({ rule, nameOf }: RuleDetailsProps) {
  const { filter, replicationTime } = rule;
  const rows: DetailRow[] = [
    ['Name', rule.name],
    ['Priority', String(rule.priority)],
    ['Source', bucketLabel(rule.source, nameOf)],
    ['Prefix', filter.prefix ? <Code key="prefix">{filter.prefix}</Code> : 'None (any key)'],
    ['Tags', Object.keys(filter.tags).length > 0 ? tagsLabel(filter.tags) : 'None'],
    ['Delete marker replication', onOff(rule.deleteMarkerReplication)],
    ['Replica modification sync', onOff(rule.replicaModifications)],
    [
      'Replication time control',
      replicationTime.enabled
        ? `Enabled, threshold ${formatMinutes(replicationTime.thresholdMinutes)}`
        : 'Disabled',
    ],
    ['Scan interval', scanIntervalLabel(rule.scanIntervalSeconds)],
    ['ID', <Code key="id">{rule.id}</Code>],
    ['Created', <Timestamp key="created" value={rule.createdAt} />],
    ['Updated', <Timestamp key="updated" value={rule.updatedAt} />],
  ];
  return (
    <Stack gap="sm">
      <DetailsTable rows={rows} data-testid="rule-details" />
      <Title order={3} size="h4">
        Destinations
      </Title>
      {rule.destinations.map((target, index) => (
        <DestinationDetails
          key={`${target.trustId}/${target.bucket}`}
          title={`Destination ${index + 1}`}
          destination={target}
          nameOf={nameOf}
        />
      ))}
    </Stack>
  );
}

interface DestinationDetailsProps {
  title: string;
  destination: RuleDestination;
  nameOf: (trustId: string) => string;
}

function DestinationDetails({ title, destination, nameOf }: DestinationDetailsProps) {
  const rows: DetailRow[] = [
    ['Bucket', bucketLabel(destination, nameOf)],
    ['Storage class', destination.storageClass ?? 'Same as source'],
    [
      'Owner override',
      destination.ownerOverride ? 'Yes: replicas owned by the destination bucket owner' : 'No',
    ],
    [
      'KMS key ID',
      destination.kmsKeyId ? (
        <Code key="kms">{destination.kmsKeyId}</Code>
      ) : (
        "None (source object's encryption)"
      ),
    ],
  ];
  return (
    <Stack gap={4}>
      <Title order={4} size="h5">
        {title}
      </Title>
      <DetailsTable rows={rows} data-testid="destination-details" aria-label={title} />
    </Stack>
  );
}
