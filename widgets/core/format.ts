/** Where and how to format: the UI locale plus the tenant's timezone and currency. */
export interface FormatContext {
  locale: string;
  /** An IANA zone such as `Europe/London`; dates are shown in the studio's time, not the viewer's. */
  timeZone?: string;
  /** An ISO 4217 code such as `GBP`. */
  currency?: string;
}

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(options)}`;
  let format = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(locale, options);
    } catch {
      // An unknown timezone or locale falls back to the viewer's rather than breaking the view.
      const { timeZone: _ignored, ...rest } = options;
      format = new Intl.DateTimeFormat(undefined, rest);
    }
    cache.set(key, format);
  }
  return format;
}

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(options)}`;
  let format = cache.get(key) as Intl.NumberFormat | undefined;
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale, options);
    } catch {
      format = new Intl.NumberFormat(undefined, options);
    }
    cache.set(key, format);
  }
  return format;
}

function toDate(value: string | number | Date | null | undefined): Date | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A calendar date (`12 Mar 2024`) in the tenant's timezone; `''` for no or an invalid date. */
export function formatDate(value: string | number | Date | null | undefined, ctx: FormatContext): string {
  const date = toDate(value);
  return date ? dateFormat(ctx.locale, { dateStyle: 'medium', timeZone: ctx.timeZone }).format(date) : '';
}

/** A date and time (`12 Mar 2024, 18:30`) in the tenant's timezone. */
export function formatDateTime(value: string | number | Date | null | undefined, ctx: FormatContext): string {
  const date = toDate(value);
  return date
    ? dateFormat(ctx.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: ctx.timeZone }).format(date)
    : '';
}

/**
 * The end of a period (an expiry, a cycle's end) as the last day it covers, or with `time` its last
 * moment: the server stores the first instant after the period (the next midnight), which staff must
 * never see as the day after.
 */
export function formatEnd(value: string | null | undefined, ctx: FormatContext, time = false): string {
  const date = toDate(value);
  return date ? (time ? formatDateTime : formatDate)(date.getTime() - 1, ctx) : '';
}

/** The calendar date (YYYY-MM-DD, as Canadian English writes it) of an instant in a timezone: a date input's value. */
export function localDate(at: Date, timeZone: string | undefined): string {
  return dateFormat('en-CA', { timeZone }).format(at);
}

/** A plain number with the locale's grouping. */
export function formatNumber(value: number, ctx: FormatContext, options: Intl.NumberFormatOptions = {}): string {
  return numberFormat(ctx.locale, options).format(value);
}

/** Money given in integer minor units (pence, cents) in the tenant's currency; `options` add to the currency style (`trailingZeroDisplay`). */
export function formatMoney(minor: number, ctx: FormatContext, currency = ctx.currency ?? 'GBP', options: Intl.NumberFormatOptions = {}): string {
  const format = numberFormat(ctx.locale, { ...options, style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}
