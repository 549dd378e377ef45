import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openDatabase } from '../../server/db/connect.ts';

/**
 * An embedded database's directory is one process's at a time: the CLI run while `npm start` holds it
 * wrote to a copy, and its API key was gone once the server stopped.
 */
describe('the embedded database directory lock', () => {
  const parent = mkdtemp(join(tmpdir(), 'ck-lock-'));
  after(async () => rm(await parent, { recursive: true, force: true }));

  test('a second opening is refused, naming the holder; closed, the directory opens again', async () => {
    const dir = join(await parent, 'db');
    const first = await openDatabase({ pgliteDir: dir });
    assert.equal(await readFile(`${dir}.lock`, 'utf8'), String(process.pid));
    await assert.rejects(openDatabase({ pgliteDir: dir }), new RegExp(`in use by process ${process.pid}`));
    await first.sql`create table kept (n int)`;
    await first.close();
    await assert.rejects(readFile(`${dir}.lock`), { code: 'ENOENT' }, 'released on close');
    const again = await openDatabase({ pgliteDir: dir });
    assert.equal((await again.sql`select count(*)::int as n from kept`)[0]!.n, 0, 'what the first wrote is there');
    await again.close();
  });

  test('a lock left by a process that has gone is taken over', async () => {
    const dir = join(await parent, 'stale');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    await writeFile(`${dir}.lock`, gone);
    const db = await openDatabase({ pgliteDir: dir });
    assert.equal(await readFile(`${dir}.lock`, 'utf8'), String(process.pid));
    await db.close();
  });

  test('the embedded database listens on no TCP port: on a Unix socket only this user can reach, gone once closed', async () => {
    const db = await openDatabase({ pgliteDir: 'memory://' });
    const { path, host } = db.sql.options as unknown as { path: string; host: string[] };
    try {
      assert.ok(path, `postgres.js connects over a socket file, not to ${host}`);
      assert.equal((await stat(path)).isSocket(), true);
      assert.equal((await stat(dirname(path))).mode & 0o777, 0o700, 'a directory only its owner may enter');
      assert.equal((await db.sql`select 1 as one`)[0]!.one, 1);
    } finally {
      await db.close();
    }
    await assert.rejects(stat(dirname(path)), { code: 'ENOENT' });
  });
});
