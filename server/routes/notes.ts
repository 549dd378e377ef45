import { Hono } from 'hono';
import { z } from 'zod';
import { transaction } from '../db/transaction.ts';
import { requireScope } from '../auth/authenticate.ts';
import { insertNote, notesPage } from '../data/notes.ts';
import { actorOf, recordActivity } from '../data/records.ts';
import { activityText } from '../domain/activity-text.ts';
import { customerAccess, customerParam } from '../http/customer-access.ts';
import type { AppEnv } from '../http/env.ts';
import { idempotency } from '../http/idempotency.ts';
import { noQuery, text } from '../http/schemas.ts';
import { keysetPage, timePageQuery } from '../http/time-cursor.ts';
import { responds, validate } from '../http/validate.ts';

const notesQuery = z.strictObject(timePageQuery);

export const newNoteSchema = z.strictObject({
  body: text.trim().min(1, 'Write the note.').max(5000, 'A note holds at most 5,000 characters.'),
});

/**
 * `GET /api/customer/{id}/notes` (notes:read): staff notes, newest first.
 * `POST /api/customer/{id}/notes` (notes:write) `{ body }`: a note by the credential's actor, with its
 * `note_added` activity in the same transaction; 201 `{ data: note }`.
 */
export const notes = new Hono<AppEnv>()
  .get('/customer/:id/notes', requireScope('notes:read'), validate('param', customerParam), validate('query', notesQuery),
    customerAccess(), async (c) => {
      const { auth, sql } = c.var;
      const { limit, cursor } = c.req.valid('query');
      const rows = await notesPage(sql, { tenantId: auth.tenant.id, customerId: c.req.valid('param').id, after: cursor, limit });
      return c.json(keysetPage(rows, limit), 200);
    })
  .post('/customer/:id/notes', requireScope('notes:write'), validate('param', customerParam), validate('query', noQuery), validate('json', newNoteSchema),
    idempotency(), customerAccess(), responds(201), async (c) => {
      const { auth, sql } = c.var;
      const { id } = c.req.valid('param');
      const { body } = c.req.valid('json');
      const { sort: _sort, ...note } = await transaction(sql, async (tx) => {
        const row = await insertNote(tx, { tenantId: auth.tenant.id, customerId: id, body, authorId: actorOf(auth), authorName: auth.actor.name });
        await recordActivity(tx, {
          tenantId: auth.tenant.id, customerId: id, type: 'note_added', actor: actorOf(auth),
          summary: activityText(auth.tenant.locale).note_added({ author: auth.actor.name }), data: { note_id: row.id },
        });
        return row;
      });
      return c.json({ data: note }, 201);
    });
