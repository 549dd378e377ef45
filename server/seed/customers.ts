import { newId } from '../ids.ts';
import { addCoupons } from './customer-coupons.ts';
import { tellHistory, type HistoryPlan, type Persona } from './history.ts';
import { attributionSources, campaigns, referrers } from './names.ts';
import { addNotes, editProfile } from './notes.ts';
import { createRandom, type Random } from './random.ts';
import type { CustomerRows } from './rows.ts';
import { SCHEDULE_PAST_DAYS } from './schedule.ts';
import { Story, type ProfileRef, type TenantContext } from './story.ts';
import { DAY, HOUR, iso, isoOrNull } from './time.ts';
import { acceptPolicies } from './waivers.ts';

/** Customers joined over the past two years; the timetable covers the last of them. */
const HISTORY_DAYS = 730;
const RECENT_PROFILES = 300;

const ascii = (s: string) => s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();

/** An address like people really have, unique among the tenant's full profiles. */
function uniqueEmail(ctx: TenantContext, random: Random, first: string, last: string): string {
  const [f, l] = [ascii(first), ascii(last)];
  const domain = random.weighted(ctx.catalogue.plan.people.domains);
  let local = random.weighted([
    [`${f}.${l}`, 40], [`${f}${l}`, 15], [`${f[0]}.${l}`, 10], [`${f}_${l}`, 5], [`${f}.${l}${random.int(1, 99)}`, 15],
    [`${f}${random.int(1970, 2006)}`, 10], [`${l}.${f}`, 5],
  ]);
  // Some people type their address with capitals; uniqueness is on the lower-cased form.
  if (random.chance(0.05)) local = local.charAt(0).toUpperCase() + local.slice(1);
  let email = `${local}@${domain}`;
  while (ctx.emails.has(email.toLowerCase())) email = `${local}${random.int(2, 999)}@${domain}`;
  ctx.emails.add(email.toLowerCase());
  return email;
}

function attribution(random: Random, joinedAt: number): Record<string, unknown> | null {
  if (!random.chance(0.6)) return null;
  const source = random.weighted(attributionSources);
  return {
    source,
    campaign: campaigns[source] && random.chance(0.7) ? random.pick(campaigns[source]) : null,
    referrer: referrers[source] ? random.pick(referrers[source]) : null,
    first_touch: iso(joinedAt - Math.round(random.between(0, 30 * DAY))),
  };
}

const personas = [['regular', 18], ['steady', 30], ['occasional', 27], ['trial', 25]] as const;
const classesPerWeek: Record<Persona, readonly [number, number]> = {
  regular: [1.5, 3.5], steady: [0.6, 1.5], occasional: [0.15, 0.6], trial: [0.7, 1.5], guest: [2, 4],
};
const leaveChance: Record<Persona, number> = { regular: 0.15, steady: 0.3, occasional: 0.45, trial: 0.5, guest: 1 };

/**
 * Customer `index` of the tenant with everything that happened to them, drawn from the customer's
 * own random stream. Guests (about 5%) are linked to, or duplicate the email of, a recent profile.
 */
export function generateCustomer(ctx: TenantContext, index: number, out: CustomerRows): void {
  const { now, catalogue } = ctx;
  const plan = catalogue.plan;
  const random = createRandom(ctx.seed, plan.id, 'customer', index);
  const id = newId('cust', random.bytes);
  const story = new Story(ctx, out, random, id);
  const windowStart = now - SCHEDULE_PAST_DAYS * DAY;

  let joinedAt = Math.round(now - random.between(2 * HOUR, HISTORY_DAYS * DAY));
  let firstname = random.pick(plan.people.first);
  let lastname = random.pick(plan.people.last);
  const isGuest = random.chance(0.05);
  let linkedTo: string | null = null;
  let email: string;

  if (isGuest) {
    const profile = ctx.recentProfiles.length ? random.pick(ctx.recentProfiles) : null;
    const variant = profile ? random.weighted([['linked', 40], ['duplicate', 30], ['alone', 30]] as const) : 'alone';
    if (profile && variant === 'linked') {
      // Booked as a guest first, signed up later; the desk linked the two.
      linkedTo = profile.id;
      [firstname, lastname] = [profile.firstname, profile.lastname];
      email = random.chance(0.6) ? profile.email : `${ascii(firstname)}.${ascii(lastname)}@${random.weighted(plan.people.domains)}`;
      joinedAt = Math.max(now - HISTORY_DAYS * DAY, profile.createdAt - Math.round(random.between(DAY, 20 * DAY)));
    } else if (profile && variant === 'duplicate') {
      // Booked as a guest with the email of an existing profile: the "multiple records" case.
      [firstname, lastname] = [profile.firstname, profile.lastname];
      email = random.chance(0.5) ? profile.email.toUpperCase() : profile.email;
      joinedAt = Math.round(random.between(profile.createdAt, now - HOUR));
    } else {
      email = `${ascii(firstname)}.${ascii(lastname)}@${random.weighted(plan.people.domains)}`;
    }
  } else {
    email = uniqueEmail(ctx, random, firstname, lastname);
  }
  const mobile = random.chance(isGuest ? 0.5 : 0.85) ? plan.people.mobile(random) : null;
  const source = attribution(random, joinedAt);
  const roleLinks = !isGuest && index % 150 === 7
    ? [{ business: plan.name, role: index % 300 === 7 ? 'instructor' : 'front_desk' }]
    : [];
  const archived = !isGuest && random.chance(0.05);
  const deleted = !isGuest && !archived && random.chance(0.005);

  story.activity('customer_created', joinedAt, ctx.text.customer_created({ by: null, guest: isGuest }), {
    source: source?.source ?? null, guest: isGuest,
  });
  if (!isGuest) story.email('welcome', `Welcome to ${plan.name}`, joinedAt + 5 * 60_000);

  // When they came to classes: from joining (or the start of the timetable) until they left.
  const persona: Persona = isGuest ? 'guest' : random.weighted(personas);
  const activeStart = Math.round(Math.max(joinedAt, windowStart + random.between(0, 30 * DAY)) + random.between(0, 2 * DAY));
  const lapsedBefore = joinedAt < windowStart && random.chance(0.2);
  let activeEnd = Infinity;
  if (isGuest) activeEnd = activeStart + 10 * DAY;
  else if (lapsedBefore) activeEnd = activeStart;
  else if (archived || deleted || random.chance(leaveChance[persona])) {
    const room = Math.max(8 * DAY, now - 14 * DAY - activeStart);
    activeEnd = activeStart + random.between(7 * DAY, room);
    // Nobody is archived or deleted while they still come.
    if (archived || deleted) activeEnd = Math.max(activeStart, Math.min(activeEnd, now - DAY));
  }
  const compliant = acceptPolicies(story, joinedAt, activeEnd, isGuest);
  const history: HistoryPlan = {
    persona,
    perWeek: random.between(...classesPerWeek[persona]),
    favourites: [random.pick(plan.templates).type, random.pick(plan.templates).type],
    activeStart,
    activeEnd,
    isNew: joinedAt >= windowStart,
    staysAfterTrial: random.chance(0.35),
    maxBookings: isGuest ? random.int(1, 2) : 1000,
    bookAhead: compliant && (!isGuest || linkedTo !== null),
  };
  if (activeEnd > activeStart && activeStart < now) tellHistory(story, history);

  if (!isGuest) addCoupons(story, joinedAt);
  if (!isGuest) addNotes(story, joinedAt);
  const edits = isGuest ? { edits: 0, lastAt: joinedAt } : editProfile(story, joinedAt);

  let updatedAt = edits.lastAt;
  let version = 1 + edits.edits;
  let deletedAt: number | null = null;
  if (archived || deleted) {
    const at = Math.round(random.between(Math.min(Math.max(activeEnd, joinedAt) + 7 * DAY, now - HOUR), now));
    const actor = story.deskStaff().id;
    if (archived) story.activity('archived', at, ctx.text.archived({ reason: null }), {}, actor);
    else {
      story.activity('deleted', at, ctx.text.deleted({ reason: null }), {}, actor);
      deletedAt = at;
    }
    updatedAt = Math.max(updatedAt, at);
    version++;
  }

  out.customers.push({
    tenant_id: plan.id, id, firstname, lastname, email, mobile, is_guest: isGuest, linked_profile_id: linkedTo,
    archived, deleted_at: isoOrNull(deletedAt), attribution: source, role_links: roleLinks, created_at: iso(joinedAt),
    updated_at: iso(updatedAt), version,
  });
  if (!isGuest) {
    const ref: ProfileRef = { id, firstname, lastname, email, createdAt: joinedAt };
    ctx.recentProfiles.push(ref);
    if (ctx.recentProfiles.length > RECENT_PROFILES) ctx.recentProfiles.shift();
  }
}
