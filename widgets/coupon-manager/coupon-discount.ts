import { formatMoney, formatNumber } from '../core/format.ts';
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
      // Without ".00" on whole amounts ("£10", "£7.50").
      : formatMoney(c.amount_off ?? 0, { locale }, c.currency, { trailingZeroDisplay: 'stripIfInteger' }),
  });
  // `coupon.once`, `coupon.forever` or `coupon.months` (which alone uses `months`).
  return translate(locale, `coupon.${c.duration === 'repeating' ? 'months' : c.duration}`, { off, months: c.duration_months ?? 1 });
}
