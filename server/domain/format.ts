import type { Db } from '../db/connect.ts';

/** The tenant settings the credit and booking rules read. */
export interface TenantRules {
  id: string;
  timezone: string;
  locale: string;
  free_cancel_hours: number;
  late_cancel_rule: 'forfeit' | 'fee';
  guests_need_profile: boolean;
}

export async function tenantRules(sql: Db, tenantId: string): Promise<TenantRules> {
  const [row]: [TenantRules?] = await sql`
    select id, timezone, locale, free_cancel_hours, late_cancel_rule, guests_need_profile
    from tenants where id = ${tenantId}`;
  if (!row) throw new Error(`no tenant ${tenantId}`);
  return row;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Whether a studio's locale is German (its language subtag `de`): its activity and reports are in German, else English. */
export const speaksGerman = (locale: string) => locale.split(/[-_]/, 1)[0]!.toLowerCase() === 'de';

/** "Tue 3 Mar 2026, 18:00" in the tenant's timezone and locale, for activity summaries and messages. */
export function dateTime(value: Date, tenant: Pick<TenantRules, 'timezone' | 'locale'>): string {
  const key = `${tenant.locale}|${tenant.timezone}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(tenant.locale, {
      timeZone: tenant.timezone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
      hour: '2-digit', minute: '2-digit',
    });
    formats.set(key, format);
  }
  return format.format(value);
}
