import { formatNumber } from '../core/format.ts';
import { translate } from '../core/localize.ts';
import type { Discount } from './coupon-manager.types.ts';

/**
 * A discount in plain words from the catalogue — "20% off, 3 months", "£10 off once",
 * "15% off forever" — with `Intl` percent and money in the coupon's (the tenant's) currency.
 */
export function describeDiscount(c: Discount, locale: string): string {
  const off = translate(locale, 'coupon.off', {
    amount: c.percent_off !== null
      ? formatNumber(c.percent_off / 100, { locale }, { style: 'percent', maximumFractionDigits: 2 })
      : money(c.amount_off ?? 0, c.currency, locale),
  });
  return c.duration === 'repeating'
    ? translate(locale, 'coupon.months', { off, months: c.duration_months ?? 1 })
    : translate(locale, c.duration === 'once' ? 'coupon.once' : 'coupon.forever', { off });
}

/** Money in minor units, without ".00" on whole amounts ("£10", "£7.50"). */
function money(minor: number, currency: string, locale: string): string {
  const options: Intl.NumberFormatOptions = { style: 'currency', currency, trailingZeroDisplay: 'stripIfInteger' };
  const digits = new Intl.NumberFormat(locale, options).resolvedOptions().maximumFractionDigits ?? 2;
  return formatNumber(minor / 10 ** digits, { locale }, options);
}
