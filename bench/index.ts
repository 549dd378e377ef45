/** `npm run bench`: every benchmark of the kit, one after the other. */
import { benchCreditUsage } from './credit-usage.ts';

console.log('# credit usage (issue 3)');
await benchCreditUsage();
