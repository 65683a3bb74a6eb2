import type { AwsReplicationConfiguration } from '../../api/types';

export type ParsedConfiguration =
  | { status: 'empty' }
  | { status: 'invalid'; error: string }
  | {
      status: 'valid';
      /** The bare {Role, Rules} document, as the import endpoint takes it. */
      configuration: AwsReplicationConfiguration;
      ruleCount: number;
      /** Each distinct Rules[].Destination.Bucket, in order of appearance. */
      destinationArns: string[];
    };

const SHAPE_HINT =
  'Paste the output of aws s3api get-bucket-replication ({"ReplicationConfiguration": {...}}), or the {"Role", "Rules"} document of put-bucket-replication.';

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Reads an AWS replication configuration far enough to find its destination buckets; the server
 * checks the rest (and refuses the whole document if any rule is invalid).
 */
export function parseReplicationConfiguration(text: string): ParsedConfiguration {
  if (text.trim() === '') {
    return { status: 'empty' };
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { status: 'invalid', error: `Not valid JSON: ${reason}` };
  }
  if (!isObject(document)) {
    return { status: 'invalid', error: `Expected a JSON object. ${SHAPE_HINT}` };
  }
  const configuration =
    'ReplicationConfiguration' in document ? document.ReplicationConfiguration : document;
  if (!isObject(configuration) || !Array.isArray(configuration.Rules)) {
    return { status: 'invalid', error: `No "Rules" list found. ${SHAPE_HINT}` };
  }
  const arns = new Set<string>();
  for (const rule of configuration.Rules) {
    const bucket = isObject(rule) && isObject(rule.Destination) ? rule.Destination.Bucket : null;
    if (typeof bucket === 'string' && bucket !== '') {
      arns.add(bucket);
    }
  }
  return {
    status: 'valid',
    // Sent as pasted: the server checks every field and names the path of each problem it finds.
    configuration: configuration as AwsReplicationConfiguration,
    ruleCount: configuration.Rules.length,
    destinationArns: [...arns],
  };
}
