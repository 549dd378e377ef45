/**
 * The API's reply shapes, declared once by the widgets package, which publishes them as its contract
 * (widgets/core/api-types.ts). The server reads them type-only, so no server code reaches the package;
 * its rows are these shapes, or a mapping of them where postgres.js reads a column differently.
 */
export type * from '../../widgets/core/api-types.ts';
export type * from '../../widgets/coupon-manager/coupon-manager.types.ts';
export type * from '../../widgets/credit-usage/credit-usage.api.ts';
export type * from '../../widgets/customer-detail/customer-detail.types.ts';
export type * from '../../widgets/waiver-status/waiver-status.types.ts';

/**
 * A reply as its row is read: the `Key` fields are timestamptz columns, which postgres.js returns as
 * `Date`s and `c.json` writes as the ISO strings the reply declares (null stays null).
 */
export type WithDates<Reply, Key extends keyof Reply> = {
  [P in keyof Reply]: P extends Key ? Date | Exclude<Reply[P], string> : Reply[P];
};
