import { STORAGE_CLASSES, type BucketRef, type Rule } from '../../api/types';

/** "<trust name> / <bucket>", as a rule's source and destinations are shown. */
export function bucketLabel(ref: BucketRef, nameOf: (trustId: string) => string): string {
  return `${nameOf(ref.trustId)} / ${ref.bucket}`;
}

/** The one destination as a bucket label, or how many there are. */
export function destinationsSummary(rule: Rule, nameOf: (trustId: string) => string): string {
  const [first, ...others] = rule.destinations;
  if (first && others.length === 0) {
    return bucketLabel(first, nameOf);
  }
  return `${rule.destinations.length} destinations`;
}

/** "key=value, key=value", in the order the server sent them. */
export function tagsLabel(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}

/** Which objects the rule replicates: prefix and tags, or all objects. */
export function filterSummary(filter: Rule['filter']): string {
  const parts: string[] = [];
  if (filter.prefix) {
    parts.push(`Prefix ${filter.prefix}`);
  }
  if (Object.keys(filter.tags).length > 0) {
    parts.push(`Tags ${tagsLabel(filter.tags)}`);
  }
  return parts.length > 0 ? parts.join(' · ') : 'All objects';
}

export const STORAGE_CLASS_OPTIONS = [
  { value: '', label: 'Same as source' },
  ...STORAGE_CLASSES.map((storageClass) => ({ value: storageClass, label: storageClass })),
];

export function scanIntervalLabel(seconds: number): string {
  if (seconds === 0) {
    return 'Off: change events only';
  }
  const minutes = seconds % 60 === 0 ? ` (${seconds / 60} min)` : '';
  return `Every ${seconds} seconds${minutes}`;
}

export function onOff(enabled: boolean): string {
  return enabled ? 'Enabled' : 'Disabled';
}
