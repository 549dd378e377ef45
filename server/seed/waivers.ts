import type { AcceptanceMethod } from '../data/replies.ts';
import type { Policy } from './catalogue.ts';
import type { Story } from './story.ts';
import { DAY, HOUR, iso } from './time.ts';

function accept(story: Story, policy: Policy, version: number, at: number) {
  const method = story.random.weighted<AcceptanceMethod>([['online', 70], ['in_person', 22], ['paper', 8]]);
  const recordedBy = method === 'online' ? null : story.deskStaff().id;
  const id = story.id('acc');
  story.out.policy_acceptances.push({
    tenant_id: story.tenantId, id, customer_id: story.customerId, policy_id: policy.id, version,
    accepted_at: iso(at), method, recorded_by: recordedBy,
  });
  story.activity('waiver_accepted', at, story.ctx.text.waiver_accepted({ title: policy.plan.versions[version - 1].title, method }), {
    acceptance_id: id, policy_id: policy.id, version, method,
  }, recordedBy);
}

/**
 * Signing up means accepting the required policies in force; a new version is accepted again at a
 * later visit by most customers who still come. Left as they are: a few who never signed a required
 * policy, and those who stopped coming before a new version, whose acceptance is outdated.
 * Returns whether every required policy is accepted at its current version (needed to book ahead).
 */
export function acceptPolicies(story: Story, joinedAt: number, activeEnd: number, isGuest: boolean): boolean {
  const { random, ctx } = story;
  let current = true;
  for (const policy of ctx.catalogue.policies) {
    if (!policy.plan.required) {
      if (!isGuest && random.chance(0.35)) accept(story, policy, policy.published.length, Math.max(joinedAt, policy.published.at(-1)!));
      continue;
    }
    if (random.chance(isGuest ? 0.2 : 0.05)) {
      const askedAt = joinedAt + DAY;
      if (askedAt < ctx.now) story.email('policy_request', `Please accept our ${policy.plan.name} before your next class`, askedAt);
      current = false;
      continue;
    }
    const signedAt = Math.max(joinedAt, policy.published[0]) + random.between(0, 2 * HOUR);
    let version = 0;
    while (version < policy.published.length && policy.published[version] <= signedAt) version++;
    accept(story, policy, version, signedAt);
    for (; version < policy.published.length; version++) {
      const againAt = policy.published[version] + random.between(DAY, 30 * DAY);
      if (againAt > ctx.now || againAt > activeEnd || !random.chance(0.85)) break;
      accept(story, policy, version + 1, againAt);
    }
    if (version < policy.published.length) current = false;
  }
  return current;
}
