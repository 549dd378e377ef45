import { noteBodies } from './names.ts';
import type { Story } from './story.ts';
import { iso } from './time.ts';

/** Staff notes on the customer. */
export function addNotes(story: Story, joinedAt: number): void {
  const { random, ctx } = story;
  if (!random.chance(0.1)) return;
  const authors = ctx.catalogue.staff.filter((s) => s.active);
  for (let n = random.chance(0.75) ? 1 : 2; n > 0; n--) {
    const author = random.pick(authors);
    const at = Math.round(random.between(joinedAt, ctx.now));
    const id = story.id('note');
    story.out.notes.push({
      tenant_id: story.tenantId, id, customer_id: story.customerId, body: random.pick(noteBodies), author_id: author.id,
      author_name: author.name, created_at: iso(at),
    });
    story.activity('note_added', at, ctx.text.note_added({ author: author.name }), { note_id: id }, author.id);
  }
}

const editedFields = ['mobile', 'email', 'lastname', 'firstname'] as const;

/** Profile edits by the customer or the desk; returns how many and when the last one was. */
export function editProfile(story: Story, joinedAt: number): { edits: number; lastAt: number } {
  const { random, ctx } = story;
  if (!random.chance(0.12)) return { edits: 0, lastAt: joinedAt };
  const edits = random.chance(0.8) ? 1 : 2;
  let lastAt = joinedAt;
  for (let n = 0; n < edits; n++) {
    lastAt = Math.round(random.between(lastAt, ctx.now));
    const fields = [random.pick(editedFields)];
    const actor = random.chance(0.5) ? story.deskStaff().id : null;
    story.activity('profile_edited', lastAt, ctx.text.profile_edited({ fields }), { fields }, actor);
  }
  return { edits, lastAt };
}
