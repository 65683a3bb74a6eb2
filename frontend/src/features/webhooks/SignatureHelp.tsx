import { Code, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { CopyValueButton } from '../../components/CopyValueButton';

/** Checks X-Replicator-Signature in Node.js: the MAC over "<t>.<body>" and the age of t. */
export const VERIFY_SNIPPET = `import crypto from 'node:crypto';

// header: the X-Replicator-Signature value; body: the raw request body, before parsing it.
export function isFromReplicator(header, body, secret, toleranceSeconds = 300) {
  const { t, v1 } = Object.fromEntries(header.split(',').map((part) => part.split('=')));
  const expected = crypto.createHmac('sha256', secret).update(t + '.' + body).digest('hex');
  const fresh = Math.abs(Date.now() / 1000 - Number(t)) <= toleranceSeconds;
  return fresh && v1?.length === expected.length &&
    crypto.timingSafeEqual(Buffer.from(v1), Buffer.from(expected));
}`;

/** The body of an OperationFailedReplication event, as S3 Event Notifications shape it. */
const EXAMPLE_EVENT = JSON.stringify(
  {
    Records: [
      {
        eventVersion: '2.2',
        eventSource: 'replicator:s3',
        eventTime: '2026-03-07T09:00:05.123Z',
        eventName: 'Replication:OperationFailedReplication',
        s3: {
          s3SchemaVersion: '1.0',
          bucket: { name: 'photos', arn: 'arn:aws:s3:::photos' },
          object: {
            key: 'raw/2026/cat.jpg',
            size: 52344,
            eTag: 'd41d8cd98f00b204e9800998ecf8427e',
            versionId: '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY',
          },
        },
        replicationEventData: {
          replicationRuleId: '0195f0d2-7c41-7a8e-9b3d-5e2f6a1c4b7d',
          destinationBucket: 'arn:aws:s3:::photos-replica',
          s3Operation: 'OBJECT_PUT',
          requestTime: '2026-03-07T09:00:00Z',
          failureReason: 'DstPutObjectNotPermitted',
          threshold: null,
          replicationTime: null,
        },
      },
    ],
  },
  null,
  2,
);

/** How an endpoint receives events and checks that they come from Replicator. */
export function SignatureHelp() {
  return (
    <Paper withBorder p="md" maw={800}>
      <Stack gap="sm">
        <Title order={2} size="h3">
          Receiving events
        </Title>
        <Text size="sm">
          Each event is a POST with a JSON body in the shape of an S3 Event Notification, and these
          headers:
        </Text>
        <List size="sm" spacing={4}>
          <List.Item>
            <Code>X-Replicator-Event</Code>: the event name, e.g. OperationFailedReplication, or
            TestEvent for a test.
          </List.Item>
          <List.Item>
            <Code>X-Replicator-Delivery</Code>: the delivery&apos;s unique ID. Deliveries are at
            least once, so an event can arrive more than once: deduplicate on this ID.
          </List.Item>
          <List.Item>
            <Code>X-Replicator-Signature</Code>: <Code>t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</Code>,
            where v1 is the HMAC-SHA256 of <Code>&lt;t&gt;.&lt;body&gt;</Code> keyed with the
            webhook&apos;s signing secret. Every attempt is signed anew.
          </List.Item>
        </List>
        <Text size="sm">
          Check the signature over the raw body before trusting an event, and refuse old timestamps
          so that a captured request cannot be replayed. Answer 2xx quickly; any other answer (or
          none) is retried. In Node.js:
        </Text>
        <Group justify="flex-end">
          <CopyValueButton value={VERIFY_SNIPPET} what="verification code" />
        </Group>
        <Code block data-testid="verify-snippet">
          {VERIFY_SNIPPET}
        </Code>
        <Text size="sm">An OperationFailedReplication event looks like this:</Text>
        <Code block data-testid="example-event">
          {EXAMPLE_EVENT}
        </Code>
      </Stack>
    </Paper>
  );
}
