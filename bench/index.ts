/** `npm run bench`: every benchmark of the kit, one after the other. */
import { benchBundleSize } from './bundle-size.ts';
import { benchCreditUsage } from './credit-usage.ts';
import { benchCustomerDetail } from './customer-detail.ts';

console.log('# the kit bundle (issue 6)');
await benchBundleSize();

console.log('# credit usage (issue 3)');
await benchCreditUsage();

console.log('# customer detail aggregate (issue 5)');
await benchCustomerDetail();
