import { describe, expect, it } from 'vitest';
import {
  emptyDestination,
  emptyRuleForm,
  ruleFormField,
  ruleSchema,
  toRuleInput,
} from './ruleForm';

const valid = {
  ...emptyRuleForm(),
  name: 'photos',
  source: { trustId: 'trust-1', bucket: 'photos' },
  destinations: [{ ...emptyDestination(), trustId: 'trust-2', bucket: 'photos-replica' }],
};

describe('rule form', () => {
  it('maps server field paths to the inputs the form shows', () => {
    const field = ruleFormField({
      ...valid,
      filter: { prefix: '', tags: [{ key: 'a', value: '' }] },
    });
    expect(field(['source', 'bucket'])).toBe('source.bucket');
    expect(field(['destinations', '0', 'kmsKeyId'])).toBe('destinations.0.kmsKeyId');
    expect(field(['destinations', '0'])).toBe('destinations.0');
    expect(field(['destinations', '1', 'bucket'])).toBeUndefined();
    expect(field(['destinations'])).toBe('destinations');
    expect(field(['filter', 'tags', '0', 'key'])).toBe('filter.tags.0.key');
    expect(field(['filter', 'tags'])).toBe('filter.tags');
    expect(field(['filter', 'tags', 'env'])).toBeUndefined();
    expect(field(['replicationTime', 'thresholdMinutes'])).toBeUndefined();
    expect(
      ruleFormField({ ...valid, replicationTime: { enabled: true, thresholdMinutes: 15 } })([
        'replicationTime',
        'thresholdMinutes',
      ]),
    ).toBe('replicationTime.thresholdMinutes');
  });

  it('mirrors the server’s limits', () => {
    const issues = (values: unknown) =>
      ruleSchema.safeParse(values).error?.issues.map((issue) => issue.path.join('.')) ?? [];
    expect(issues(valid)).toEqual([]);
    expect(issues({ ...valid, priority: -1 })).toEqual(['priority']);
    expect(issues({ ...valid, priority: 2147483648 })).toEqual(['priority']);
    expect(issues({ ...valid, name: 'x'.repeat(256) })).toEqual(['name']);
    expect(issues({ ...valid, scanIntervalSeconds: 29 })).toEqual(['scanIntervalSeconds']);
    expect(issues({ ...valid, scanIntervalSeconds: 86401 })).toEqual(['scanIntervalSeconds']);
    expect(issues({ ...valid, scanIntervalSeconds: 30 })).toEqual([]);
    expect(
      issues({ ...valid, replicationTime: { enabled: true, thresholdMinutes: 1441 } }),
    ).toEqual(['replicationTime.thresholdMinutes']);
    expect(issues({ ...valid, source: { trustId: 'trust-1', bucket: 'Ab' } })).toEqual([
      'source.bucket',
    ]);
    expect(issues({ ...valid, source: { trustId: 'trust-1', bucket: 'My_Bucket.1' } })).toEqual([]);
    expect(issues({ ...valid, source: { trustId: 'trust-1', bucket: '-photos' } })).toEqual([
      'source.bucket',
    ]);
    const tags = Array.from({ length: 11 }, (_, index) => ({ key: `k${index}`, value: '' }));
    expect(issues({ ...valid, filter: { prefix: '', tags } })).toEqual(['filter.tags']);
    expect(
      issues({
        ...valid,
        filter: { prefix: '', tags: [{ key: 'a', value: '' }] },
        deleteMarkerReplication: true,
      }),
    ).toEqual(['deleteMarkerReplication']);
    expect(issues({ ...valid, destinations: [] })).toEqual(['destinations']);
    expect(
      issues({ ...valid, destinations: [valid.destinations[0], valid.destinations[0]] }),
    ).toEqual(['destinations.1.bucket']);
  });

  it('sends a hidden, invalid RTC threshold as the default', () => {
    expect(
      toRuleInput({ ...valid, replicationTime: { enabled: false, thresholdMinutes: Number.NaN } })
        .replicationTime,
    ).toEqual({ enabled: false, thresholdMinutes: 15 });
  });
});
