import type { AcceptanceMethod, CouponDuration } from '../data/replies.ts';
import type { PurchaseArgs } from './purchases.ts';
import { speaksGerman } from './format.ts';
import { plural } from './rules.ts';

/**
 * The sentences of a customer's activity timeline (`activity.summary`) and the reasons the system
 * writes on ledger entries (a cycle's grant, an expiry, a refund's void), in the studio's language.
 * A summary is written once, when the change happens, by the domain code, the routes and the seeder
 * alike — all through `activityText(tenant.locale)` — so the same event reads the same whether it
 * was seeded or made live. German for a locale whose language is `de`, English for any other.
 *
 * Each kind takes typed parameters: names, codes and reasons go in as given; dates and money arrive
 * already formatted in the studio's locale and timezone (`format.ts` `dateTime`, the seeder's
 * cached `Formats`), so building a sentence costs a template literal, never an `Intl` object.
 * The German wording follows the widgets' catalogue (widgets/core/messages/de.ts): Credits,
 * Gutschein, Zyklus, storniert, erstattet, gutgeschrieben, Mobilnummer.
 */

type Channel = PurchaseArgs['channel'];
type Payment = PurchaseArgs['paymentStatus'];
/** When a booking was cancelled: in the free window, after it, after it with the fee waived, or with the class called off by the studio. */
type Timing = 'in_time' | 'late' | 'late_waived' | 'class_cancelled';

/** A class on a date: booked, cancelled, attended, missed. */
interface ClassAt {
  className: string;
  /** Formatted start (`dateTime`). */
  when: string;
}

export interface ActivityParams {
  /** `customer_created`: by a staff member or key (live), or seeded as a sign-up or a guest at the desk. */
  customer_created: { by: string | null; guest: boolean };
  /** `profile_edited`: the fields that changed (none: saved unchanged). */
  profile_edited: { fields: readonly string[] };
  archived: { reason: string | null };
  unarchived: { reason: string };
  deleted: { reason: string | null };
  booked: ClassAt & { passName: string; credits: number; /** null: an unlimited pass. */ left: number | null };
  cancelled: ClassAt & {
    timing: Timing;
    /** Credits given back to `passName`. */
    returned: number;
    passName: string;
    /** Credits kept by the studio (a late cancellation not waived). */
    forfeited: number;
    /** Why staff waived the late fee (`late_waived`). */
    reason?: string;
  };
  attended: ClassAt;
  no_show: ClassAt;
  /** `purchased`: `credits` granted at once (0: none yet, or no credits). */
  purchased: { productName: string; channel: Channel; payment: Payment; credits: number };
  /** `credits_added` when a pending payment clears. */
  payment_received: { passName: string; credits: number };
  /** `credits_added` / `credits_removed` by staff: `delta` is signed. */
  credits_adjusted: { delta: number; passName: string; before: number; after: number; reason: string };
  refunded: { passName: string; voided: number };
  /** `credits_expired`: at the pass's expiry, or at the end of membership cycle `cycle`. */
  credits_expired: { credits: number; passName: string; cycle: number | null };
  credits_rolled_over: { credits: number; passName: string; cycle: number };
  /** `expiry_changed` of a pass: formatted dates, `from` null when it had none. */
  expiry_changed: { passName: string; from: string | null; to: string; reason: string };
  /** `coupon_added`: `discount` as `discount()` words it. */
  coupon_added: { code: string; discount: string; reason: string | null };
  /** `coupon_updated` by staff: formatted dates, null for none. */
  coupon_expiry_changed: { code: string; from: string | null; to: string | null; reactivated: boolean; reason: string };
  /** `coupon_updated`: used up. */
  coupon_redeemed: { code: string };
  /** `coupon_updated`: past its expiry, never used. */
  coupon_expired: { code: string };
  coupon_removed: { code: string; reason: string };
  waiver_accepted: { title: string; method: AcceptanceMethod };
  note_added: { author: string };
  email: { subject: string };
  /** Not a kind of its own: a coupon's discount inside `coupon_added` (and rule messages). `amountOff` formatted money. */
  discount: { percentOff: number | null; amountOff: string | null; duration: CouponDuration; months: number | null };
  // The reasons the system itself writes on ledger entries, shown in the credit usage beside staff's own.
  /** `grant` of a membership cycle's credits. */
  cycle_credits: { cycle: number };
  /** `expiry` at the end of cycle `cycle`: `left` unused, `rolled` of them carried into the next (at most `cap`). */
  cycle_ended: { cycle: number; left: number; rolled: number; cap: number | null };
  /** `rollover` into the cycle after `cycle`. */
  rolled_over_from: { cycle: number };
  /** `expiry` of `credits` a cancellation gave back to cycle `cycle` after it ended; `rolled` of them carried into cycle `to`. */
  returned_after_cycle: { cycle: number; credits: number; rolled: number; to: number; cap: number | null };
  /** `expiry` of a pass's credits at its end date. */
  pass_expired: Record<string, never>;
  /** `void` of the credits left by a refund, with staff's reason. */
  refund_void: { reason: string };
  /** `free_cancellation` of a late cancellation whose fee staff waived, with their reason. */
  late_fee_waived: { reason: string };
}

export type ActivityText = { readonly [K in keyof ActivityParams]: (p: ActivityParams[K]) => string };

const because = (reason: string | null) => (reason ? `: ${reason}` : '');

const englishMethod: Record<AcceptanceMethod, string> = { in_person: 'in person', paper: 'on paper', online: 'online' };
const englishTiming: Record<Timing, string> = {
  in_time: ' in time', late: ' late', late_waived: ' late (fee waived)', class_cancelled: ' (the studio cancelled the class)',
};

const english: ActivityText = {
  customer_created: ({ by, guest }) => by !== null ? `Customer created by ${by}`
    : guest ? 'Guest record created at the front desk' : 'Profile created',
  profile_edited: ({ fields }) => fields.length ? `Profile edited: ${fields.join(', ')}` : 'Profile saved without changes',
  archived: ({ reason }) => `Customer archived${because(reason)}`,
  unarchived: ({ reason }) => `Customer unarchived${because(reason)}`,
  deleted: ({ reason }) => `Customer deleted${because(reason)}`,
  booked: (p) => `Booked ${p.className} on ${p.when} with ${p.passName}` +
    (p.left === null ? ' (unlimited)' : ` (${plural(p.credits, 'credit')}, ${p.left} left)`),
  cancelled: (p) => `Cancelled ${p.className} on ${p.when}${englishTiming[p.timing].replace(/\)$/, p.reason ? `: ${p.reason})` : ')')}` +
    (p.returned ? `: ${plural(p.returned, 'credit')} back to ${p.passName}`
      : p.forfeited === 1 ? ': credit forfeited' : p.forfeited ? `: ${p.forfeited} credits forfeited` : ''),
  attended: (p) => `Attended ${p.className} on ${p.when}`,
  no_show: (p) => `Missed ${p.className} on ${p.when} (no-show)`,
  purchased: (p) => `Purchased ${p.productName} (${p.channel}${p.payment === 'paid' ? '' : `, payment ${p.payment}`})` +
    (p.credits ? `: ${plural(p.credits, 'credit')} added` : ''),
  payment_received: (p) => `Payment received for ${p.passName}: ${plural(p.credits, 'credit')} added`,
  credits_adjusted: (p) => `${plural(Math.abs(p.delta), 'credit')} ${p.delta > 0 ? 'added to' : 'removed from'} ${p.passName} ` +
    `(${p.before} \u2192 ${p.after}): ${p.reason}`,
  refunded: (p) => `${p.passName} refunded` + (p.voided ? `: ${plural(p.voided, 'remaining credit')} voided` : ''),
  credits_expired: (p) => `${plural(p.credits, 'unused credit')} of ${p.passName} expired` +
    (p.cycle === null ? '' : ` at the end of cycle ${p.cycle}`),
  credits_rolled_over: (p) => `${plural(p.credits, 'credit')} of ${p.passName} rolled over into cycle ${p.cycle}`,
  expiry_changed: (p) => `Expiry of ${p.passName} changed from ${p.from ?? 'never'} to ${p.to}: ${p.reason}`,
  coupon_added: (p) => `Coupon ${p.code} added (${p.discount})${because(p.reason)}`,
  coupon_expiry_changed: (p) => `Expiry of coupon ${p.code} changed from ${p.from ?? 'never'} to ${p.to ?? 'never'}` +
    (p.reactivated ? ' (active again)' : '') + `: ${p.reason}`,
  coupon_redeemed: (p) => `Coupon ${p.code} redeemed`,
  coupon_expired: (p) => `Coupon ${p.code} expired unused`,
  coupon_removed: (p) => `Coupon ${p.code} removed: ${p.reason}`,
  waiver_accepted: (p) => `Accepted ${p.title} (${englishMethod[p.method]})`,
  note_added: (p) => `Note added by ${p.author}`,
  email: (p) => `Email: ${p.subject}`,
  discount: (p) => {
    const off = p.percentOff !== null ? `${p.percentOff}% off` : `${p.amountOff} off`;
    return p.duration === 'repeating' ? `${off}, ${plural(p.months!, 'month')}` : `${off} ${p.duration}`;
  },
  cycle_credits: (p) => `Cycle ${p.cycle} credits`,
  cycle_ended: (p) => `Cycle ${p.cycle} ended with ${plural(p.left, 'unused credit')}` +
    (p.rolled ? `; ${p.rolled} roll over to cycle ${p.cycle + 1} (cap ${p.cap})` : '; none roll over'),
  rolled_over_from: (p) => `Rolled over from cycle ${p.cycle}`,
  returned_after_cycle: (p) => `${plural(p.credits, 'credit')} given back after cycle ${p.cycle} ended` +
    (p.rolled ? `; ${p.rolled} roll over to cycle ${p.to} (cap ${p.cap})` : '; none roll over'),
  pass_expired: () => 'Pass expired with unused credits',
  refund_void: (p) => `Refunded: ${p.reason}`,
  late_fee_waived: (p) => `Late cancellation waived: ${p.reason}`,
};

/** "1 Credit", "3 Credits"; with an adjective, its singular and plural ending: "1 ungenutzter Credit". */
const credits = (n: number, adjective?: [one: string, many: string]) =>
  `${n} ${adjective ? `${adjective[Math.abs(n) === 1 ? 0 : 1]} ` : ''}${Math.abs(n) === 1 ? 'Credit' : 'Credits'}`;

const germanField: Record<string, string> = { firstname: 'Vorname', lastname: 'Nachname', email: 'E-Mail', mobile: 'Mobilnummer' };
const germanChannel: Record<Channel, string> = { online: 'online', offline: 'vor Ort', admin: 'vom Team hinzugefügt' };
const germanPayment: Record<Payment, string> = { paid: '', pending: ', Zahlung ausstehend', failed: ', Zahlung fehlgeschlagen' };
const germanMethod: Record<AcceptanceMethod, string> = { in_person: 'persönlich', paper: 'auf Papier', online: 'online' };
const germanTiming: Record<Timing, string> = {
  in_time: 'Rechtzeitig storniert', late: 'Zu spät storniert', late_waived: 'Zu spät storniert (Gebühr erlassen)',
  class_cancelled: 'Storniert (Kurs vom Studio abgesagt)',
};

/** "Ablaufdatum von X von A auf B geändert", or set where there was none, or lifted. */
function germanExpiry(subject: string, from: string | null, to: string | null) {
  if (from === null) return to === null ? `Ablaufdatum von ${subject} geändert` : `Ablaufdatum von ${subject} auf ${to} gesetzt`;
  return to === null
    ? `Ablaufdatum von ${subject} aufgehoben (bisher ${from})`
    : `Ablaufdatum von ${subject} von ${from} auf ${to} geändert`;
}

const german: ActivityText = {
  customer_created: ({ by, guest }) => by !== null ? `Kunde von ${by} angelegt`
    : guest ? 'Gastdatensatz an der Rezeption angelegt' : 'Profil angelegt',
  profile_edited: ({ fields }) => fields.length
    ? `Profil bearbeitet: ${fields.map((f) => germanField[f] ?? f).join(', ')}` : 'Profil ohne Änderungen gespeichert',
  archived: ({ reason }) => `Kunde archiviert${because(reason)}`,
  unarchived: ({ reason }) => `Kunde wiederhergestellt${because(reason)}`,
  deleted: ({ reason }) => `Kunde gelöscht${because(reason)}`,
  booked: (p) => `Gebucht: ${p.className} am ${p.when} mit ${p.passName}` +
    (p.left === null ? ' (unbegrenzt)' : ` (${credits(p.credits)}, noch ${p.left})`),
  cancelled: (p) => `${germanTiming[p.timing].replace(/\)$/, p.reason ? `: ${p.reason})` : ')')}: ${p.className} am ${p.when}` +
    (p.returned ? ` \u2013 ${credits(p.returned)} zurück auf ${p.passName}`
      : p.forfeited === 1 ? ' \u2013 Credit verfallen' : p.forfeited ? ` \u2013 ${p.forfeited} Credits verfallen` : ''),
  attended: (p) => `Teilgenommen: ${p.className} am ${p.when}`,
  no_show: (p) => `Nicht erschienen: ${p.className} am ${p.when}`,
  purchased: (p) => `Gekauft: ${p.productName} (${germanChannel[p.channel]}${germanPayment[p.payment]})` +
    (p.credits ? ` \u2013 ${credits(p.credits)} gutgeschrieben` : ''),
  payment_received: (p) => `Zahlung für ${p.passName} erhalten \u2013 ${credits(p.credits)} gutgeschrieben`,
  credits_adjusted: (p) => `${credits(Math.abs(p.delta))} ${p.delta > 0 ? 'zu' : 'von'} ${p.passName} ` +
    `${p.delta > 0 ? 'hinzugefügt' : 'entfernt'} (${p.before} \u2192 ${p.after}): ${p.reason}`,
  refunded: (p) => `${p.passName} erstattet` +
    (p.voided ? ` \u2013 ${credits(p.voided, ['verbleibender', 'verbleibende'])} storniert` : ''),
  credits_expired: (p) => `${credits(p.credits, ['ungenutzter', 'ungenutzte'])} von ${p.passName} verfallen` +
    (p.cycle === null ? '' : ` (Ende von Zyklus ${p.cycle})`),
  credits_rolled_over: (p) => `${credits(p.credits)} von ${p.passName} in Zyklus ${p.cycle} übertragen`,
  expiry_changed: (p) => `${germanExpiry(p.passName, p.from, p.to)}: ${p.reason}`,
  coupon_added: (p) => `Gutschein ${p.code} hinzugefügt (${p.discount})${because(p.reason)}`,
  coupon_expiry_changed: (p) => germanExpiry(`Gutschein ${p.code}`, p.from, p.to) +
    (p.reactivated ? ' (wieder aktiv)' : '') + `: ${p.reason}`,
  coupon_redeemed: (p) => `Gutschein ${p.code} eingelöst`,
  coupon_expired: (p) => `Gutschein ${p.code} ungenutzt abgelaufen`,
  coupon_removed: (p) => `Gutschein ${p.code} entfernt: ${p.reason}`,
  waiver_accepted: (p) => `Akzeptiert: ${p.title} (${germanMethod[p.method]})`,
  note_added: (p) => `Notiz von ${p.author} hinzugefügt`,
  email: (p) => `E-Mail: ${p.subject}`,
  discount: (p) => {
    // "10 %" with a no-break space, as Intl writes a German percentage.
    const off = `${p.percentOff !== null ? `${p.percentOff}\u00a0%` : p.amountOff} Rabatt`;
    if (p.duration === 'repeating') return `${off}, ${p.months === 1 ? '1 Monat' : `${p.months} Monate`}`;
    return `${off} ${p.duration === 'once' ? 'einmalig' : 'dauerhaft'}`;
  },
  cycle_credits: (p) => `Credits für Zyklus ${p.cycle}`,
  cycle_ended: (p) => `Zyklus ${p.cycle} endete mit ${credits(p.left, ['ungenutztem', 'ungenutzten'])}` +
    (p.rolled ? `; ${p.rolled} davon in Zyklus ${p.cycle + 1} übertragen (Obergrenze ${p.cap})` : '; nichts übertragen'),
  rolled_over_from: (p) => `Übertragen aus Zyklus ${p.cycle}`,
  returned_after_cycle: (p) => `${credits(p.credits)} nach Ende von Zyklus ${p.cycle} zurückgegeben` +
    (p.rolled ? `; ${p.rolled} davon in Zyklus ${p.to} übertragen (Obergrenze ${p.cap})` : '; nichts übertragen'),
  pass_expired: () => 'Pass mit ungenutzten Credits abgelaufen',
  refund_void: (p) => `Erstattet: ${p.reason}`,
  late_fee_waived: (p) => `Gebühr für späte Stornierung erlassen: ${p.reason}`,
};

/** The sentences for a studio's locale: German when its language subtag is `de`, English otherwise. */
export function activityText(locale: string): ActivityText {
  return speaksGerman(locale) ? german : english;
}
