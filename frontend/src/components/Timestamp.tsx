// timeStyle 'long' names the time zone ("9:10:00 AM UTC"): a time without one is ambiguous to
// operators in other zones and in screenshots.
const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'long' });

/** An instant as Timestamp shows it: date and time in the browser's time zone, named. */
export function formatInstant(instant: Date): string {
  return format.format(instant);
}

/** A server instant shown in the browser's time zone, named, with the exact value on hover. */
export function Timestamp({ value, empty = '—' }: { value: string | null; empty?: string }) {
  if (!value) {
    return <>{empty}</>;
  }
  return (
    <time dateTime={value} title={value}>
      {formatInstant(new Date(value))}
    </time>
  );
}
