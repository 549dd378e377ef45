import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../server/db/connect.ts';
import { runCreditJobs } from '../../server/domain/expiry.ts';
import { cycleBounds } from '../../server/domain/subscriptions.ts';
import { DEMO_STAFF_ID, DEMO_TENANT, isSeeded, OTHER_CUSTOMERS, OTHER_TENANT, seed } from '../../server/seed/index.ts';
import { sameTimeDaysLater } from '../../server/domain/calendar.ts';
import { endOfLocalDay } from '../../server/seed/time.ts';
import { verify } from '../../server/verify.ts';
import { databaseTargets } from '../support/databases.ts';

const options = { customers: 200, seed: 42, now: new Date('2026-03-01T12:00:00Z') };

/** One md5 per table over its rows in id order (times written in UTC): equal fingerprints, equal data. */
function fingerprint(db: Database): Promise<string> {
  const tables = ['customers', 'passes', 'bookings', 'credit_ledger', 'classes', 'activity', 'emails', 'policy_acceptances'];
  return db.sql.begin(async (sql) => {
    await sql`set local timezone to 'UTC'`;
    const parts: string[] = [];
    for (const table of tables) {
      const [row] = await sql<{ md5: string; rows: number }[]>`
        select md5(string_agg(t::text, '|' order by t.tenant_id, t.id)) as md5, count(*)::int as rows from ${sql(table)} t`;
      assert.ok(row.rows > 0, `${table} is empty`);
      parts.push(`${table}:${row.rows}:${row.md5}`);
    }
    return parts.join(' ');
  }) as Promise<string>;
}

/** Each activity type as a German studio's timeline writes it (server/domain/activity-text.ts). */
const germanSummaries: Record<string, RegExp> = {
  customer_created: /^(Profil angelegt|Gastdatensatz an der Rezeption angelegt|Kunde von .+ angelegt)$/,
  profile_edited: /^Profil (bearbeitet: (Vorname|Nachname|E-Mail|Mobilnummer)(, (Vorname|Nachname|E-Mail|Mobilnummer))*|ohne Änderungen gespeichert)$/,
  archived: /^Kunde archiviert(: .+)?$/,
  unarchived: /^Kunde wiederhergestellt(: .+)?$/,
  deleted: /^Kunde gelöscht(: .+)?$/,
  booked: /^Gebucht: .+ am .+ mit .+ \((\d+ Credits?, noch \d+|unbegrenzt)\)$/,
  cancelled: /^(Rechtzeitig storniert|Zu spät storniert( \(Gebühr erlassen\))?): .+ am .+?( – (\d+ Credits? zurück auf .+|(\d+ Credits|Credit) verfallen))?$/,
  attended: /^Teilgenommen: .+ am .+$/,
  no_show: /^Nicht erschienen: .+ am .+$/,
  purchased: /^Gekauft: .+ \((online|vor Ort|vom Team hinzugefügt)(, Zahlung (ausstehend|fehlgeschlagen))?\)( – \d+ Credits? gutgeschrieben)?$/,
  credits_added: /^(\d+ Credits? zu .+ hinzugefügt \(\d+ → \d+\): .+|Zahlung für .+ erhalten – \d+ Credits? gutgeschrieben)$/,
  credits_removed: /^\d+ Credits? von .+ entfernt \(\d+ → \d+\): .+$/,
  credits_expired: /^(1 ungenutzter Credit|\d+ ungenutzte Credits) von .+ verfallen( \(Ende von Zyklus \d+\))?$/,
  credits_rolled_over: /^\d+ Credits? von .+ in Zyklus \d+ übertragen$/,
  refunded: /^.+ erstattet( – (1 verbleibender Credit|\d+ verbleibende Credits) storniert)?$/,
  expiry_changed: /^Ablaufdatum von .+ (von .+ auf .+ geändert|auf .+ gesetzt): .+$/,
  coupon_added: /^Gutschein \S+ hinzugefügt \(.+ Rabatt( einmalig| dauerhaft|, \d+ Monate?)\)(: .+)?$/,
  coupon_updated: /^(Gutschein \S+ (eingelöst|ungenutzt abgelaufen)|Ablaufdatum von Gutschein \S+ .+: .+)$/,
  coupon_removed: /^Gutschein \S+ entfernt: .+$/,
  waiver_accepted: /^Akzeptiert: .+ \((persönlich|auf Papier|online)\)$/,
  note_added: /^Notiz von .+ hinzugefügt$/,
  email: /^E-Mail: .+$/,
};

/** The reasons the system writes on a German studio's ledger entries (staff's own follow a colon). */
const germanLedgerReasons =
  /^(Credits für Zyklus \d+|Zyklus \d+ endete mit .+|Übertragen aus Zyklus \d+|Pass mit ungenutzten Credits abgelaufen|Erstattet: .+|Gebühr für späte Stornierung erlassen: .+)$/;

/** Words of the English sentences that no German one has. */
const englishWords = new RegExp('\\b(' + ['Booked', 'Cancelled', 'Attended', 'Missed', 'Purchased', 'Accepted', 'Customer', 'Profile', 'Guest',
  'Coupon', 'Expiry', 'Payment', 'Note', 'Email', 'credits?', 'added', 'removed', 'expired', 'refunded', 'voided', 'rolled', 'left',
  'unlimited', 'in time', 'late', 'off', 'once', 'forever', 'in person', 'on paper', 'by'].join('|') + ')\\b');

/** The fingerprint of the first database seeded, which every other must match. */
let reference: string | undefined;

const one = async <T>(rows: Promise<T[]>) => (await rows)[0]!;

for (const target of await databaseTargets()) {
  describe(`seed and verify on ${target.label}`, () => {
    let db: Database;
    let first: string;

    before(async () => {
      db = await target.open();
    });
    after(() => db?.close());

    test('seeds a studio whose every ledger invariant holds', async () => {
      assert.equal(await isSeeded(db.sql), false);
      const progress: [number, number][] = [];
      const result = await seed(db.sql, { ...options, onProgress: (done, total) => progress.push([done, total]) });
      assert.equal(await isSeeded(db.sql), true);
      assert.equal(result.customers, options.customers + OTHER_CUSTOMERS);
      assert.ok(result.passes > result.customers && result.ledgerEntries > result.passes && result.bookings > result.customers);
      assert.deepEqual(progress.at(-1), [result.customers, result.customers]);
      assert.deepEqual(await verify(db.sql), { ok: true, problems: [] });
      first = await fingerprint(db);
    });

    test('the data has what the widgets and the rules need', async () => {
      const sql = db.sql;
      const owner = await one(sql`select role from staff where tenant_id = ${DEMO_TENANT} and id = ${DEMO_STAFF_ID}`);
      assert.equal(owner.role, 'owner');
      const roles = await sql`select distinct role from staff where tenant_id = ${DEMO_TENANT}`;
      assert.equal(roles.length, 4);
      const other = await one(sql<{ n: number }[]>`select count(*)::int as n from customers where tenant_id = ${OTHER_TENANT}`);
      assert.equal(other.n, OTHER_CUSTOMERS);
      const kinds = await sql`select distinct kind from products where tenant_id = ${DEMO_TENANT}`;
      assert.equal(kinds.length, 6);
      const types = (await sql<{ type: string }[]>`select distinct type from credit_ledger order by type`).map((r) => r.type);
      for (const type of ['booking', 'expiry', 'free_cancellation', 'grant', 'manual', 'rollover']) assert.ok(types.includes(type), type);
      const statuses = await sql`select distinct status from bookings`;
      assert.equal(statuses.length, 5);
      const people = await one(sql<{ guests: number; linked: number; duplicates: number; archived: number; no_mobile: number }[]>`
        select count(*) filter (where c.is_guest)::int as guests,
          count(*) filter (where c.linked_profile_id is not null)::int as linked,
          count(*) filter (where c.is_guest and c.linked_profile_id is null and exists (select 1 from customers p
            where p.tenant_id = c.tenant_id and not p.is_guest and lower(p.email) = lower(c.email)))::int as duplicates,
          count(*) filter (where c.archived)::int as archived,
          count(*) filter (where c.mobile is null)::int as no_mobile
        from customers c where c.tenant_id = ${DEMO_TENANT}`);
      for (const [what, n] of Object.entries(people)) assert.ok(n > 0, `no ${what}`);
      // Never more live bookings than places, never two live bookings of one customer on one class.
      const overfull = await one(sql<{ n: number }[]>`
        select count(*)::int as n from classes c
        where (select count(*) from bookings b where b.tenant_id = c.tenant_id and b.class_id = c.id
          and b.status in ('booked', 'attended', 'no_show')) > c.capacity`);
      assert.equal(overfull.n, 0);
      // Some customers are on an outdated waiver version, some never accepted a required policy.
      const waivers = await one(sql<{ outdated: number; missing: number }[]>`
        with latest as (
          select c.id, pol.id as policy_id, pol.current_version, max(a.version) as accepted
          from customers c cross join policies pol
          left join policy_acceptances a on a.tenant_id = c.tenant_id and a.customer_id = c.id and a.policy_id = pol.id
          where c.tenant_id = ${DEMO_TENANT} and pol.tenant_id = c.tenant_id and pol.required
          group by c.id, pol.id, pol.current_version)
        select count(*) filter (where accepted < current_version)::int as outdated,
          count(*) filter (where accepted is null)::int as missing
        from latest`);
      assert.ok(waivers.outdated > 0 && waivers.missing > 0);
    });

    test('the German studio’s seeded activity reads in German, as the live changes write it', async () => {
      const rows = await db.sql<{ type: string; summary: string; data: { reason?: string | null } }[]>`
        select type, summary, data from activity where tenant_id = ${OTHER_TENANT}`;
      const seen = new Set(rows.map((r) => r.type));
      for (const type of ['customer_created', 'booked', 'cancelled', 'attended', 'purchased', 'waiver_accepted', 'email']) {
        assert.ok(seen.has(type), `no ${type} activity in ${OTHER_TENANT}`);
      }
      for (const { type, summary, data } of rows) {
        const german = germanSummaries[type];
        assert.ok(german, `no German form known for ${type}: ${summary}`);
        assert.match(summary, german, type);
        // What is left once the user's own text (a reason, an email's subject) is taken out has no English word in it.
        const ours = (data.reason ? summary.replace(data.reason, '') : summary).replace(/^E-Mail: .*/, 'E-Mail:');
        assert.doesNotMatch(ours, englishWords, `${type}: ${summary}`);
      }
      const demo = await one(db.sql<{ n: number }[]>`
        select count(*)::int as n from activity where tenant_id = ${DEMO_TENANT} and summary like 'Booked % on % with %'`);
      assert.ok(demo.n > 0, 'the English studio keeps its English sentences');
    });

    test('the German studio’s ledger carries the system’s reasons in German', async () => {
      const rows = await db.sql<{ type: string; reason: string }[]>`
        select type, reason from credit_ledger where tenant_id = ${OTHER_TENANT} and type <> 'manual' and reason is not null`;
      assert.ok(rows.some((r) => r.type === 'expiry'), `no expiry with a reason in ${OTHER_TENANT}`);
      for (const { type, reason } of rows) assert.match(reason, germanLedgerReasons, type);
    });

    test('the credit engine finds the seeded ledgers sound and nothing left to renew or expire', async () => {
      assert.deepEqual((await verify(db.sql)).problems, []);
      const jobs = await runCreditJobs(db.sql, { now: options.now });
      assert.equal(jobs.renewed, 0);
      assert.equal(jobs.expiredPasses, 0);
      assert.equal(await fingerprint(db), first);
    });

    test('the seed ends a pass on the day the server does, where clocks skip or repeat midnight too', async () => {
      for (const zone of ['Europe/London', 'America/Santiago', 'America/Havana', 'Pacific/Auckland']) {
        // A purchase at 15:00 UTC on every day of 2026, valid 30 days: PostgreSQL's end of the 30th day, as purchases.ts computes it.
        const rows = await db.sql<{ start: Date; end: Date }[]>`
          select s as start, ((s at time zone ${zone})::date + 31)::timestamp at time zone ${zone} as end
          from generate_series('2026-01-01 15:00:00+00'::timestamptz, '2026-12-31 15:00:00+00', interval '1 day') s`;
        const differing = rows.filter((r) => endOfLocalDay(zone, r.start.getTime(), 30) !== r.end.getTime());
        assert.deepEqual(differing.map((r) => r.start.toISOString()), [], zone);
      }
    });

    test('the seed and the server end a membership cycle where PostgreSQL does, where clocks skip or repeat that hour too', async () => {
      for (const zone of ['Europe/London', 'America/Santiago', 'America/Havana', 'Pacific/Auckland']) {
        // 30-day cycles bought on every day of 2026 at 15:30 UTC, and at half past every hour of the days whose
        // cycle ends within a day of a change of the clocks: 30 days on at that wall-clock time, as PostgreSQL reads it.
        const rows = await db.sql<{ start: Date; end: Date; skipped: boolean }[]>`
          select s as start, e as end, (s at time zone ${zone})::time <> (e at time zone ${zone})::time as skipped
          from generate_series('2026-01-01 00:30:00+00'::timestamptz, '2026-12-31 23:30:00+00', interval '1 hour') s,
            lateral (select ((s at time zone ${zone}) + interval '30 days') at time zone ${zone} as e) cycle
          where extract(hour from s at time zone 'UTC') = 15
            or ((e - interval '1 day') at time zone ${zone}) - ((e - interval '1 day') at time zone 'UTC')
              <> ((e + interval '1 day') at time zone ${zone}) - ((e + interval '1 day') at time zone 'UTC')`;
        const differing = rows.filter((r) => sameTimeDaysLater(zone, r.start.getTime(), 30) !== r.end.getTime()
          || cycleBounds(r.start, 30, 1, zone).end.getTime() !== r.end.getTime());
        assert.deepEqual(differing.map((r) => r.start.toISOString()), [], zone);
        // Among them, cycles the clocks changed under (30×24 h would end elsewhere) and ones ending in a skipped hour.
        assert.ok(rows.some((r) => r.end.getTime() !== r.start.getTime() + 30 * 86_400_000), zone);
        assert.ok(rows.some((r) => r.skipped), zone);
      }
    });

    test('every seeded membership is in the cycle, and bills next, where the server counts its cycles', async () => {
      const rows = await db.sql<{
        id: string; starts_at: Date; current_cycle: number; cycle_started_at: Date; next_billing_at: Date | null;
        expires_at: Date | null; billing_cycle_days: number; timezone: string;
      }[]>`
        select p.id, p.starts_at, p.current_cycle, p.cycle_started_at, p.next_billing_at, p.expires_at, pr.billing_cycle_days, t.timezone
        from passes p join products pr on pr.tenant_id = p.tenant_id and pr.id = p.product_id join tenants t on t.id = p.tenant_id
        where p.current_cycle is not null`;
      assert.ok(rows.some((r) => r.current_cycle >= 6) && rows.some((r) => r.expires_at !== null));
      const wrong = rows.filter((r) => {
        const { start, end } = cycleBounds(r.starts_at, r.billing_cycle_days, r.current_cycle, r.timezone);
        // A membership that ends (the customer left) ends with a cycle: this one, or one to come.
        let last = r.current_cycle;
        while (r.expires_at && cycleBounds(r.starts_at, r.billing_cycle_days, last, r.timezone).end < r.expires_at) last++;
        return r.cycle_started_at.getTime() !== start.getTime() || (r.next_billing_at && r.next_billing_at.getTime() !== end.getTime())
          || (r.expires_at && r.expires_at.getTime() !== cycleBounds(r.starts_at, r.billing_cycle_days, last, r.timezone).end.getTime());
      });
      assert.deepEqual(wrong.map((r) => r.id), []);
    });

    test('seeding a seeded database without reset fails and changes nothing', async () => {
      await assert.rejects(seed(db.sql, options), /already seeded.*reset/);
      assert.equal(await fingerprint(db), first);
    });

    test('the same seed, count and now give the same data, ids included', async () => {
      await seed(db.sql, { ...options, reset: true });
      assert.equal(await fingerprint(db), first);
      // And on the other kind of database too.
      reference ??= first;
      assert.equal(first, reference);
    });

    test('verify names a pass whose balance no longer matches its ledger', async () => {
      const pass = await one(db.sql<{ id: string; credits_left: number }[]>`
        select id, credits_left from passes where credits_left > 0 order by id limit 1`);
      await db.sql`update passes set credits_left = credits_left + 1 where id = ${pass.id}`;
      const broken = await verify(db.sql);
      assert.equal(broken.ok, false);
      assert.equal(broken.problems.length, 1);
      assert.match(broken.problems[0], new RegExp(`pass ${pass.id} .*credits_left is ${pass.credits_left + 1}, expected ${pass.credits_left}`));
      await db.sql`update passes set credits_left = ${pass.credits_left} where id = ${pass.id}`;
      assert.equal((await verify(db.sql)).ok, true);
      // A credit pass with no entries yet (its payment has not cleared) holds 0: credits there came from nowhere.
      const unpaid = await one(db.sql<{ id: string; tenant_id: string }[]>`
        select p.id, p.tenant_id from passes p where p.credits_left = 0
          and not exists (select 1 from credit_ledger l where l.tenant_id = p.tenant_id and l.pass_id = p.id)
        order by p.id limit 1`);
      await db.sql`update passes set credits_left = 2 where id = ${unpaid.id}`;
      const conjured = await verify(db.sql);
      assert.equal(conjured.ok, false);
      assert.deepEqual(conjured.problems, [`pass ${unpaid.id} (${unpaid.tenant_id}): credits_left is 2, expected 0 (the sum of its 0 ledger entries)`]);
      await db.sql`update passes set credits_left = 0 where id = ${unpaid.id}`;
      assert.equal((await verify(db.sql)).ok, true);
    });

    test('verify names running totals that no longer add up to the ledger', async () => {
      const total = await one(db.sql<{ pass_id: string; cycle: number; type: string; credit: number; debit: number }[]>`
        select pass_id, cycle, type, credit, debit from credit_totals where tenant_id = ${DEMO_TENANT} and type = 'grant' order by pass_id limit 1`);
      await db.sql`update credit_totals set credit = credit + 1 where pass_id = ${total.pass_id} and cycle = ${total.cycle} and type = 'grant'`;
      const broken = await verify(db.sql);
      assert.deepEqual(broken.problems, [`pass ${total.pass_id} (${DEMO_TENANT}), cycle ${total.cycle}, grant: credit_totals hold +${total.credit + 1} 0, `
        + `the ledger adds up to +${total.credit} 0`]);
      await db.sql`update credit_totals set credit = ${total.credit} where pass_id = ${total.pass_id} and cycle = ${total.cycle} and type = 'grant'`;
      assert.equal((await verify(db.sql)).ok, true);
      // The debits are checked too: credits spent on bookings that the totals no longer count.
      const spent = await one(db.sql<{ pass_id: string; cycle: number; debit: number }[]>`
        select pass_id, cycle, debit from credit_totals where tenant_id = ${DEMO_TENANT} and type = 'booking' and debit < 0 order by pass_id limit 1`);
      await db.sql`update credit_totals set debit = debit + 1 where pass_id = ${spent.pass_id} and cycle = ${spent.cycle} and type = 'booking'`;
      assert.deepEqual((await verify(db.sql)).problems, [`pass ${spent.pass_id} (${DEMO_TENANT}), cycle ${spent.cycle}, booking: `
        + `credit_totals hold +0 ${spent.debit + 1}, the ledger adds up to +0 ${spent.debit}`]);
      await db.sql`update credit_totals set debit = ${spent.debit} where pass_id = ${spent.pass_id} and cycle = ${spent.cycle} and type = 'booking'`;
      assert.equal((await verify(db.sql)).ok, true);
    });

    test('verify names a booking that spent credits with no debit, and a free cancellation that gave none back', async () => {
      const free = await one(db.sql<{ id: string }[]>`
        select b.id from bookings b where b.tenant_id = ${DEMO_TENANT} and b.credits_used = 0 and b.status = 'booked'
          and not exists (select 1 from credit_ledger l where l.tenant_id = b.tenant_id and l.booking_id = b.id)
        order by b.id limit 1`);
      const paid = await one(db.sql<{ id: string; credits_used: number }[]>`
        select b.id, b.credits_used from bookings b join passes p on p.tenant_id = b.tenant_id and p.id = b.pass_id
        where b.tenant_id = ${DEMO_TENANT} and b.status = 'booked' and b.credits_used > 0 and p.status <> 'refunded'
        order by b.id limit 1`);
      await db.sql`update bookings set credits_used = 1 where tenant_id = ${DEMO_TENANT} and id = ${free.id}`;
      await db.sql`update bookings set status = 'cancelled_free', cancelled_at = now() where tenant_id = ${DEMO_TENANT} and id = ${paid.id}`;
      const broken = await verify(db.sql);
      assert.deepEqual(broken.problems.sort(), [
        `booking ${free.id} (booked, credits_used 1): no booking entry for the credits it used`,
        `booking ${paid.id} (cancelled_free, credits_used ${paid.credits_used}): credits not given back, expected ${paid.credits_used}`,
      ].sort());
      await db.sql`update bookings set credits_used = 0 where tenant_id = ${DEMO_TENANT} and id = ${free.id}`;
      await db.sql`update bookings set status = 'booked', cancelled_at = null where tenant_id = ${DEMO_TENANT} and id = ${paid.id}`;
      assert.equal((await verify(db.sql)).ok, true);
    });

    test('the ledger refuses UPDATE and DELETE', async () => {
      const entry = await one(db.sql<{ id: string }[]>`select id from credit_ledger order by id limit 1`);
      await assert.rejects(db.sql`update credit_ledger set delta = delta + 1 where id = ${entry.id}`, /append-only/);
      await assert.rejects(db.sql`delete from credit_ledger where id = ${entry.id}`, /append-only/);
    });

    test('verify names a ledger entry that does not chain', async () => {
      // Appending is allowed; this entry claims a balance its delta does not give (and runs last, as it cannot be undone).
      const last = await one(db.sql<{ tenant_id: string; pass_id: string; entry_no: number; balance_after: number }[]>`
        select tenant_id, pass_id, entry_no, balance_after from credit_ledger where type = 'grant' order by id limit 1`);
      const lastNo = await one(db.sql<{ n: number; balance: number }[]>`
        select max(entry_no)::int as n, (array_agg(balance_after order by entry_no desc))[1] as balance
        from credit_ledger where tenant_id = ${last.tenant_id} and pass_id = ${last.pass_id}`);
      await db.sql`
        insert into credit_ledger (tenant_id, id, pass_id, entry_no, type, delta, balance_after, reason, actor, occurred_at)
        values (${last.tenant_id}, 'led_corrupt0000000001', ${last.pass_id}, ${lastNo.n + 1}, 'manual', 1,
          ${lastNo.balance + 5}, 'Deliberately wrong', ${DEMO_STAFF_ID}, now())`;
      const { ok, problems } = await verify(db.sql);
      assert.equal(ok, false);
      assert.ok(problems.some((p) => p.startsWith(`ledger led_corrupt0000000001 (pass ${last.pass_id}, entry ${lastNo.n + 1}): ` +
        `balance_after is ${lastNo.balance + 5}, expected ${lastNo.balance + 1}`)), problems.join('\n'));
      assert.ok(problems.some((p) => p.startsWith(`pass ${last.pass_id} `)), problems.join('\n'));
    });
  });
}
