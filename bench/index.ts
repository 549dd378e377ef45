/** `npm run bench`: every benchmark of the kit, one after the other. */
import { benchCreditUsage } from './credit-usage.ts';
import { benchCustomerDetail } from './customer-detail.ts';

console.log('# credit usage (issue 3)');
await benchCreditUsage();

console.log('# customer detail aggregate (issue 5)');
await benchCustomerDetail();
