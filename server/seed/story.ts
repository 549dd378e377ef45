import type { ActivityText } from '../domain/activity-text.ts';
import { newId, type IdPrefix } from '../ids.ts';
import type { Catalogue } from './catalogue.ts';
import type { Random } from './random.ts';
import type { CustomerRows } from './rows.ts';
import type { Schedule } from './schedule.ts';
import { iso, type Formats } from './time.ts';

/** What every customer of one tenant is generated against. */
export interface TenantContext {
  seed: number;
  now: number;
  catalogue: Catalogue;
  schedule: Schedule;
  formats: Formats;
  /** The activity sentences in the tenant's language (domain/activity-text.ts), as the server writes them. */
  text: ActivityText;
  /** The tenant's IANA timezone, for calendar days. */
  timezone: string;
  /** How far the tenant's clock is ahead of UTC (at `now`; near enough for the hour of day). */
  utcOffset: number;
  /** Lower-cased emails of full profiles so far: the unique index allows each once per tenant. */
  emails: Set<string>;
  /** The latest full profiles, for guests to duplicate or link to (bounded, to stay small). */
  recentProfiles: ProfileRef[];
}

export interface ProfileRef {
  id: string;
  firstname: string;
  lastname: string;
  email: string;
  createdAt: number;
}

export type ActivityType =
  | 'customer_created' | 'profile_edited' | 'archived' | 'deleted' | 'booked' | 'cancelled' | 'attended'
  | 'no_show' | 'purchased' | 'refunded' | 'email' | 'credits_added' | 'credits_removed' | 'credits_expired'
  | 'credits_rolled_over' | 'expiry_changed' | 'coupon_added' | 'coupon_updated' | 'coupon_removed'
  | 'waiver_accepted' | 'note_added';

type EmailStatus = 'queued' | 'sent' | 'delivered' | 'opened' | 'bounced' | 'failed';

/** One customer's rows being written: ids from the customer's own stream, activity beside each change. */
export class Story {
  readonly tenantId: string;

  constructor(
    readonly ctx: TenantContext,
    readonly out: CustomerRows,
    readonly random: Random,
    readonly customerId: string,
  ) {
    this.tenantId = ctx.catalogue.plan.id;
  }

  id(prefix: IdPrefix): string {
    return newId(prefix, this.random.bytes);
  }

  activity(type: ActivityType, at: number, summary: string, data: Record<string, unknown> = {}, actor: string | null = null): void {
    this.out.activity.push({
      tenant_id: this.tenantId, id: this.id('act'), customer_id: this.customerId, type, summary, data, actor,
      occurred_at: iso(Math.min(at, this.ctx.now)),
    });
  }

  /** An email sent at `at`, and its line in the activity. */
  email(template: string, subject: string, at: number, status?: EmailStatus): void {
    const sent: EmailStatus = status ?? this.random.weighted<EmailStatus>([
      ['delivered', 55], ['opened', 35], ['sent', 5], ['bounced', 3], ['failed', 2],
    ]);
    const id = this.id('email');
    this.out.emails.push({
      tenant_id: this.tenantId, id, customer_id: this.customerId, subject, template, status: sent,
      sent_at: iso(Math.min(at, this.ctx.now)),
    });
    this.activity('email', at, this.ctx.text.email({ subject }), { email_id: id, template, status: sent });
  }

  /** A desk staff member (owner, manager, front desk) acting on the customer. */
  deskStaff() {
    return this.random.pick(this.ctx.catalogue.desk);
  }
}
