import type { Sql } from 'postgres';
import { createApiKey } from '../../server/auth/api-keys.ts';
import { scopes as allScopes, type Scope } from '../../server/auth/scopes.ts';
import { newId } from '../../server/ids.ts';

/**
 * A small studio built row by row for the credits tests: exactly the tenant, products, classes and
 * policies a test names, so that every number in an assertion can be read off the test itself.
 */
export interface Studio {
  sql: Sql;
  tenantId: string;
  staffId: string;
  customer(extra?: { is_guest?: boolean; linked_profile_id?: string | null; firstname?: string }): Promise<string>;
  product(p: {
    name?: string; kind?: 'pass' | 'membership' | 'bundle' | 'video'; credits?: number | null; validity_days?: number | null;
    class_types?: string[]; billing_cycle_days?: number | null; rollover_cap?: number | null;
  }): Promise<string>;
  cls(c: { starts_at: Date | string; class_type?: string; capacity?: number; credit_cost?: number; name?: string; cancelled?: boolean }): Promise<string>;
  policy(p: { name: string; required: boolean; versions: number }): Promise<string>;
  accept(customerId: string, policyId: string, version: number): Promise<void>;
  key(scopes?: readonly Scope[]): Promise<string>;
}

export async function createStudio(sql: Sql, options: {
  tenantId?: string; timezone?: string; freeCancelHours?: number; guestsNeedProfile?: boolean; name?: string;
  locale?: string; currency?: string;
} = {}): Promise<Studio> {
  const tenantId = options.tenantId ?? newId('biz');
  await sql`
    insert into tenants (id, name, currency, timezone, locale, free_cancel_hours, guests_need_profile)
    values (${tenantId}, ${options.name ?? 'Test Studio'}, ${options.currency ?? 'GBP'}, ${options.timezone ?? 'Europe/London'},
      ${options.locale ?? 'en-GB'},
      ${options.freeCancelHours ?? 12}, ${options.guestsNeedProfile ?? true})`;
  const staffId = newId('staff');
  await sql`
    insert into staff (tenant_id, id, name, email, role)
    values (${tenantId}, ${staffId}, 'Maya Desk', 'maya@studio.test', 'owner')`;
  let n = 0;
  return {
    sql, tenantId, staffId,
    async customer(extra = {}) {
      const id = newId('cust');
      n++;
      await sql`
        insert into customers (tenant_id, id, firstname, lastname, email, is_guest, linked_profile_id)
        values (${tenantId}, ${id}, ${extra.firstname ?? 'Jane'}, ${`Doe${n}`}, ${`jane${n}.${id}@example.test`},
          ${extra.is_guest ?? false}, ${extra.linked_profile_id ?? null})`;
      return id;
    },
    async product(p) {
      const id = newId('prod');
      const kind = p.kind ?? 'pass';
      await sql`
        insert into products (tenant_id, id, name, kind, credits, validity_days, price, class_types, billing_cycle_days, rollover_cap)
        values (${tenantId}, ${id}, ${p.name ?? `${kind} ${id.slice(-4)}`}, ${kind}, ${p.credits === undefined ? 10 : p.credits},
          ${p.validity_days === undefined ? (kind === 'membership' ? null : 90) : p.validity_days}, 10000, ${p.class_types ?? []},
          ${p.billing_cycle_days ?? (kind === 'membership' ? 30 : null)}, ${p.rollover_cap ?? null})`;
      return id;
    },
    async cls(c) {
      const id = newId('cls');
      await sql`
        insert into classes (tenant_id, id, name, class_type, starts_at, duration_minutes, capacity, credit_cost, cancelled)
        values (${tenantId}, ${id}, ${c.name ?? 'Vinyasa Flow'}, ${c.class_type ?? 'yoga'}, ${new Date(c.starts_at)}, 60,
          ${c.capacity ?? 20}, ${c.credit_cost ?? 1}, ${c.cancelled ?? false})`;
      return id;
    },
    async policy(p) {
      const id = newId('pol');
      // One transaction: the policy's current version must exist by commit.
      await sql.begin(async (tx) => {
        await tx`
          insert into policies (tenant_id, id, name, kind, required, current_version)
          values (${tenantId}, ${id}, ${p.name}, 'waiver', ${p.required}, ${p.versions})`;
        for (let v = 1; v <= p.versions; v++) {
          await tx`
            insert into policy_versions (tenant_id, policy_id, version, title, body, published_at)
            values (${tenantId}, ${id}, ${v}, ${`${p.name} v${v}`}, 'Text', now())`;
        }
      });
      return id;
    },
    async accept(customerId, policyId, version) {
      await sql`
        insert into policy_acceptances (tenant_id, id, customer_id, policy_id, version, accepted_at, method)
        values (${tenantId}, ${newId('acc')}, ${customerId}, ${policyId}, ${version}, now(), 'in_person')`;
    },
    async key(scopes = allScopes) {
      return (await createApiKey(sql, { tenantId, name: `test ${scopes.length}`, scopes })).secret;
    },
  };
}

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const days = (n: number, from = Date.now()) => new Date(from + n * DAY);
