import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TransactionSql } from 'postgres';
import { createApp } from '../../server/app.ts';
import type { Database } from '../../server/db/connect.ts';
import { activityText } from '../../server/domain/activity-text.ts';
import { adjustCredits } from '../../server/domain/adjustments.ts';
import { bookClass } from '../../server/domain/booking.ts';
import { addCoupon, describeDiscount } from '../../server/domain/coupons.ts';
import { dateTime } from '../../server/domain/format.ts';
import { purchasePass, refundPass } from '../../server/domain/purchases.ts';
import { newId } from '../../server/ids.ts';
import { call } from '../support/api.ts';
import { createStudio, DAY, type Studio } from '../support/credit-fixtures.ts';
import { databaseTargets } from '../support/databases.ts';

describe('activity sentences pick the studio’s language', () => {
  test('German for a `de` language subtag, English for any other locale', () => {
    const p = { code: 'X', reason: 'Test reason' };
    for (const locale of ['de-DE', 'de-AT', 'de-CH', 'de', 'DE-de']) assert.equal(activityText(locale).coupon_removed(p), 'Gutschein X entfernt: Test reason', locale);
    for (const locale of ['en-GB', 'en-US', 'fr-FR', 'nl', 'en-DE']) assert.equal(activityText(locale).coupon_removed(p), 'Coupon X removed: Test reason', locale);
  });

  test('plurals in both languages', () => {
    const de = activityText('de-DE');
    const en = activityText('en-GB');
    const adjust = (delta: number) => ({ delta, passName: '10er-Karte', before: 5, after: 5 + delta, reason: 'Kulanz' });
    assert.equal(de.credits_adjusted(adjust(1)), '1 Credit zu 10er-Karte hinzugefügt (5 → 6): Kulanz');
    assert.equal(de.credits_adjusted(adjust(-2)), '2 Credits von 10er-Karte entfernt (5 → 3): Kulanz');
    assert.equal(en.credits_adjusted(adjust(1)), '1 credit added to 10er-Karte (5 → 6): Kulanz');
    assert.equal(en.credits_adjusted(adjust(-2)), '2 credits removed from 10er-Karte (5 → 3): Kulanz');
    assert.equal(de.credits_expired({ credits: 1, passName: 'P', cycle: null }), '1 ungenutzter Credit von P verfallen');
    assert.equal(de.credits_expired({ credits: 3, passName: 'P', cycle: 2 }), '3 ungenutzte Credits von P verfallen (Ende von Zyklus 2)');
    assert.equal(en.credits_expired({ credits: 1, passName: 'P', cycle: 2 }), '1 unused credit of P expired at the end of cycle 2');
    assert.equal(de.refunded({ passName: 'P', voided: 1 }), 'P erstattet – 1 verbleibender Credit storniert');
    assert.equal(de.refunded({ passName: 'P', voided: 4 }), 'P erstattet – 4 verbleibende Credits storniert');
    assert.equal(en.refunded({ passName: 'P', voided: 4 }), 'P refunded: 4 remaining credits voided');
    const late = { className: 'Hip-Hop', when: 'W', timing: 'late' as const, returned: 0, passName: 'P' };
    assert.equal(de.cancelled({ ...late, forfeited: 1 }), 'Zu spät storniert: Hip-Hop am W – Credit verfallen');
    assert.equal(de.cancelled({ ...late, forfeited: 2 }), 'Zu spät storniert: Hip-Hop am W – 2 Credits verfallen');
    assert.equal(en.cancelled({ ...late, forfeited: 1 }), 'Cancelled Hip-Hop on W late: credit forfeited');
    assert.equal(en.cancelled({ ...late, forfeited: 2 }), 'Cancelled Hip-Hop on W late: 2 credits forfeited');
    assert.equal(de.discount({ percentOff: null, amountOff: '5,00 €', duration: 'repeating', months: 1 }), '5,00 € Rabatt, 1 Monat');
    assert.equal(de.discount({ percentOff: 20, amountOff: null, duration: 'repeating', months: 3 }), '20\u00a0% Rabatt, 3 Monate');
    assert.equal(en.discount({ percentOff: 20, amountOff: null, duration: 'repeating', months: 1 }), '20% off, 1 month');
  });

  test('the reasons the system writes on ledger entries', () => {
    const de = activityText('de-DE');
    const en = activityText('en-GB');
    assert.equal(de.cycle_credits({ cycle: 3 }), 'Credits für Zyklus 3');
    assert.equal(en.cycle_credits({ cycle: 3 }), 'Cycle 3 credits');
    assert.equal(de.cycle_ended({ cycle: 2, left: 1, rolled: 0, cap: null }), 'Zyklus 2 endete mit 1 ungenutztem Credit; nichts übertragen');
    assert.equal(de.cycle_ended({ cycle: 2, left: 5, rolled: 3, cap: 3 }), 'Zyklus 2 endete mit 5 ungenutzten Credits; 3 davon in Zyklus 3 übertragen (Obergrenze 3)');
    assert.equal(en.cycle_ended({ cycle: 2, left: 1, rolled: 0, cap: null }), 'Cycle 2 ended with 1 unused credit; none roll over');
    assert.equal(en.cycle_ended({ cycle: 2, left: 5, rolled: 3, cap: 3 }), 'Cycle 2 ended with 5 unused credits; 3 roll over to cycle 3 (cap 3)');
    assert.equal(de.rolled_over_from({ cycle: 2 }), 'Übertragen aus Zyklus 2');
    assert.equal(en.rolled_over_from({ cycle: 2 }), 'Rolled over from cycle 2');
    assert.equal(de.pass_expired({}), 'Pass mit ungenutzten Credits abgelaufen');
    assert.equal(en.pass_expired({}), 'Pass expired with unused credits');
    assert.equal(de.refund_void({ reason: 'Umzug' }), 'Erstattet: Umzug');
    assert.equal(en.late_fee_waived({ reason: 'Sick child' }), 'Late cancellation waived: Sick child');
    assert.equal(de.late_fee_waived({ reason: 'Krankes Kind' }), 'Gebühr für späte Stornierung erlassen: Krankes Kind');
  });

  test('a discount in the studio’s language and money', () => {
    const discount = { percent_off: null, amount_off: 1000, currency: 'EUR', duration: 'once' as const, duration_months: null };
    assert.equal(describeDiscount(discount, 'de-DE'), '10,00\u00a0€ Rabatt einmalig');
    assert.equal(describeDiscount({ ...discount, percent_off: 15, amount_off: null, duration: 'forever' }, 'de-DE'), '15\u00a0% Rabatt dauerhaft');
    assert.equal(describeDiscount(discount, 'en-IE'), '€10.00 off once');
  });
});

interface Expected {
  locale: string;
  currency: string;
  timezone: string;
  pack: string;
  className: string;
  code: string;
  reasons: { add: string; remove: string; archive: string; coupon: string; refund: string };
  /** The reason the refund's `void` entry carries. */
  voidReason: string;
  /** The sentences the live changes below must write, by activity type; `when` is the class's start as the studio writes it. */
  sentences(when: string, author: string): Record<string, string[]>;
}

const studios: Expected[] = [
  {
    locale: 'de-DE', currency: 'EUR', timezone: 'Europe/Berlin', pack: '10er-Karte', className: 'Yoga am Morgen', code: 'WILLKOMMEN',
    reasons: { add: 'Kulanz nach Kursausfall', remove: 'Doppelt gutgeschrieben', archive: 'Umgezogen nach Hamburg', coupon: 'Geburtstagsgeschenk', refund: 'Kurs abgesagt' },
    voidReason: 'Erstattet: Kurs abgesagt',
    sentences: (when, author) => ({
      purchased: ['Gekauft: 10er-Karte (vom Team hinzugefügt) – 10 Credits gutgeschrieben'],
      credits_added: ['2 Credits zu 10er-Karte hinzugefügt (10 → 12): Kulanz nach Kursausfall'],
      credits_removed: ['1 Credit von 10er-Karte entfernt (12 → 11): Doppelt gutgeschrieben'],
      booked: [`Gebucht: Yoga am Morgen am ${when} mit 10er-Karte (1 Credit, noch 10)`],
      coupon_added: ['Gutschein WILLKOMMEN hinzugefügt (10\u00a0% Rabatt einmalig): Geburtstagsgeschenk'],
      refunded: ['10er-Karte erstattet – 10 verbleibende Credits storniert'],
      note_added: [`Notiz von ${author} hinzugefügt`],
      archived: ['Kunde archiviert: Umgezogen nach Hamburg'],
    }),
  },
  {
    locale: 'en-GB', currency: 'GBP', timezone: 'Europe/London', pack: '10 Class Pack', className: 'Vinyasa Flow', code: 'WELCOME10',
    reasons: { add: 'Courtesy after a cancelled class', remove: 'Added twice by mistake', archive: 'Moved to Leeds', coupon: 'Birthday present', refund: 'Course called off' },
    voidReason: 'Refunded: Course called off',
    sentences: (when, author) => ({
      purchased: ['Purchased 10 Class Pack (admin): 10 credits added'],
      credits_added: ['2 credits added to 10 Class Pack (10 → 12): Courtesy after a cancelled class'],
      credits_removed: ['1 credit removed from 10 Class Pack (12 → 11): Added twice by mistake'],
      booked: [`Booked Vinyasa Flow on ${when} with 10 Class Pack (1 credit, 10 left)`],
      coupon_added: ['Coupon WELCOME10 added (10% off once): Birthday present'],
      refunded: ['10 Class Pack refunded: 10 remaining credits voided'],
      note_added: [`Note added by ${author}`],
      archived: ['Customer archived: Moved to Leeds'],
    }),
  },
];

for (const target of await databaseTargets()) {
  describe(`live activity in the studio’s language on ${target.label}`, () => {
    let db: Database;
    let app: ReturnType<typeof createApp>;

    before(async () => {
      db = await target.open();
      app = createApp({ sql: db.sql, log: (message, error) => console.error(message, error) });
    });
    after(() => db?.close());

    for (const expected of studios) {
      test(`a studio in ${expected.locale} writes ${expected.locale === 'de-DE' ? 'German' : 'English'} sentences, from the domain and the routes`, async () => {
        const studio: Studio = await createStudio(db.sql, { locale: expected.locale, currency: expected.currency, timezone: expected.timezone });
        const t = studio.tenantId;
        const tx = <T>(fn: (sql: TransactionSql) => Promise<T>) => db.sql.begin(fn) as Promise<T>;
        const customer = await studio.customer();
        const product = await studio.product({ name: expected.pack, credits: 10 });
        const startsAt = new Date(Date.now() + 3 * DAY);
        const cls = await studio.cls({ starts_at: startsAt, name: expected.className });
        const couponId = newId('cpn');
        await db.sql`insert into coupons (tenant_id, id, code, name, percent_off, duration)
          values (${t}, ${couponId}, ${expected.code}, ${expected.code}, 10, 'once')`;

        const { pass } = await tx((sql) => purchasePass(sql, {
          tenantId: t, customerId: customer, productId: product, channel: 'admin', paymentStatus: 'paid', actor: studio.staffId,
        }));
        const adjust = (delta: number, reason: string) => tx((sql) => adjustCredits(sql, {
          tenantId: t, customerId: customer, passId: pass.id, delta, reason, actor: studio.staffId,
        }));
        await adjust(2, expected.reasons.add);
        await adjust(-1, expected.reasons.remove);
        await tx((sql) => bookClass(sql, { tenantId: t, customerId: customer, classId: cls, passId: pass.id, actor: studio.staffId }));
        await tx((sql) => addCoupon(sql, {
          tenantId: t, customerId: customer, couponId, reason: expected.reasons.coupon, actor: { id: studio.staffId, kind: 'staff' },
        }));
        await tx((sql) => refundPass(sql, { tenantId: t, passId: pass.id, actor: studio.staffId, reason: expected.reasons.refund }));
        const key = await studio.key();
        const note = await call(app, 'POST', `/api/customer/${customer}/notes`, { token: key, body: { body: 'Knee injury, go gently.' } });
        assert.equal(note.status, 201, note.text);
        const archived = await call(app, 'PATCH', `/api/customer/${customer}`, { token: key, body: { archived: true, reason: expected.reasons.archive } });
        assert.equal(archived.status, 200, archived.text);

        const [{ name: author }] = await db.sql<{ name: string }[]>`select name from api_keys where tenant_id = ${t}`;
        const rows = await db.sql<{ type: string; summary: string }[]>`
          select type, summary from activity where tenant_id = ${t} and customer_id = ${customer} order by occurred_at, seq`;
        const got: Record<string, string[]> = {};
        for (const row of rows) (got[row.type] ??= []).push(row.summary);
        const [entry] = await db.sql<{ reason: string }[]>`
          select reason from credit_ledger where tenant_id = ${t} and pass_id = ${pass.id} and type = 'void'`;
        assert.equal(entry?.reason, expected.voidReason);
        assert.deepEqual(got, expected.sentences(dateTime(startsAt, { locale: expected.locale, timezone: expected.timezone }), author));
      });
    }
  });
}
