import { wallClock, zoneOffset, zonedWallTime } from '../domain/calendar.ts';

/** Time arithmetic for the generator: instants are epoch milliseconds until they become row values. */
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Row values carry times as ISO strings, so every parameter is sent untyped (see writer.ts). */
export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

/** The instant a wall-clock time happens in the zone (a day past the month end rolls over). */
export function zonedTime(timeZone: string, year: number, month: number, day: number, hour: number, minute: number): number {
  const asUtc = Date.UTC(year, month, day, hour, minute);
  // Twice: the offset at the first guess may differ from the offset at the answer across a DST change.
  const guess = asUtc - zoneOffset(timeZone, asUtc);
  return asUtc - zoneOffset(timeZone, guess);
}

/** The calendar date in the zone at the instant (month 0-based, as Date.UTC takes it). */
export function zonedDate(timeZone: string, ms: number): { year: number; month: number; day: number } {
  const p = wallClock(timeZone, ms);
  return { year: p.year, month: p.month - 1, day: p.day };
}

/** Dates and money for activity summaries and email subjects, in the tenant's locale and zone. */
export interface Formats {
  /** `Tue 3 Mar 2026, 18:00`, as the server's own activity summaries write it (domain/format.ts). */
  dateTime(ms: number): string;
  money(minor: number): string;
}

export function createFormats(locale: string, timeZone: string, currency: string): Formats {
  const dateTime = new Intl.DateTimeFormat(locale, {
    timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
  });
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency });
  return {
    dateTime: (ms) => dateTime.format(ms),
    money: (minor) => money.format(minor / 100),
  };
}

/**
 * The first instant after the zone's calendar day `days` days after the one `ms` falls on (its next
 * local midnight): where a pass valid `days` days from `ms` ends, as the server computes it (domain/purchases.ts).
 */
export function endOfLocalDay(timeZone: string, ms: number, days = 0): number {
  const p = wallClock(timeZone, ms);
  return zonedWallTime(timeZone, Date.UTC(p.year, p.month - 1, p.day + days + 1));
}

