/**
 * Calendar arithmetic in a studio's timezone, in epoch milliseconds, read as PostgreSQL reads
 * `timestamp at time zone`: the domain counts membership cycles with it, and the seeder its history,
 * so both land where the server's SQL does.
 */

const DAY = 86_400_000;

const partsFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's wall clock at the instant: year, month (1-based), day, hour, minute, second. */
export function wallClock(timeZone: string, ms: number) {
  let format = partsFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    partsFormats.set(timeZone, format);
  }
  const part: Record<string, number> = {};
  for (const { type, value } of format.formatToParts(ms)) part[type] = Number(value);
  return part;
}

/** How far the zone's wall clock is ahead of UTC at the instant. */
export function zoneOffset(timeZone: string, ms: number): number {
  const p = wallClock(timeZone, ms);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a wall-clock time (`wall`: its fields as if in UTC) happens in the zone, read as PostgreSQL
 * reads `timestamp at time zone`: a time the clocks skip is taken at the offset before the change (a
 * missing 00:00 is 01:00 new time), a time they repeat at its second occurrence; the later reading in
 * either case.
 */
export function zonedWallTime(timeZone: string, wall: number): number {
  const before = wall - zoneOffset(timeZone, wall - DAY);
  const after = wall - zoneOffset(timeZone, wall + DAY);
  const readings = [before, after].filter((ms) => ms + zoneOffset(timeZone, ms) === wall);
  return readings.length === 1 ? readings[0]! : Math.max(before, after);
}

/**
 * `days` days after `ms` on the zone's calendar, at the same wall-clock time: where a membership cycle
 * of `days` days from `ms` ends (subscriptions.ts `cycleBounds`).
 */
export function sameTimeDaysLater(timeZone: string, ms: number, days: number): number {
  return zonedWallTime(timeZone, ms + zoneOffset(timeZone, ms) + days * DAY);
}
