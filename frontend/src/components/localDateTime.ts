/**
 * Conversions for `<input type="datetime-local">`, which shows and takes a wall-clock time without a
 * zone: the browser's time zone is the one meant, as everywhere else on the dashboard.
 */

const pad = (value: number, length = 2) => String(value).padStart(length, '0');

/** An instant as a datetime-local input holds it: the browser's local time, to the minute (or second). */
export function toLocalInput(ms: number): string {
  const date = new Date(ms);
  const minute =
    `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return date.getSeconds() === 0 ? minute : `${minute}:${pad(date.getSeconds())}`;
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?$/;

/** A datetime-local input's value (local time) in epoch milliseconds; null if empty or not a date and time. */
export function fromLocalInput(value: string): number | null {
  const match = LOCAL_INPUT.exec(value);
  if (!match) {
    return null;
  }
  const [year, month, day, hours, minutes, seconds] = match
    .slice(1, 7)
    .map((part) => Number(part ?? 0));
  const date = new Date(year!, month! - 1, day!, hours!, minutes!, seconds!);
  // new Date rolls 31 April over into 1 May, and takes years below 100 for 19xx: neither is the date entered.
  const asEntered =
    date.getFullYear() === year && date.getMonth() === month! - 1 && date.getDate() === day;
  return asEntered ? date.getTime() : null;
}
