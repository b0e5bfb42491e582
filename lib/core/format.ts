/**
 * The one way the app writes a date and time for people: "7 Dec 2026, 14:05 UTC". Server
 * Components render it, so it names its time zone rather than guessing the reader's.
 */
const dateTime = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

export function formatDateTime(date: Date): string {
  return `${dateTime.format(date)} UTC`;
}
