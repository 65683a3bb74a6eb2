const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A server instant shown in the browser's time zone, with the exact value on hover. */
export function Timestamp({ value, empty = '—' }: { value: string | null; empty?: string }) {
  if (!value) {
    return <>{empty}</>;
  }
  return (
    <time dateTime={value} title={value}>
      {format.format(new Date(value))}
    </time>
  );
}
