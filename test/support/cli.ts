import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before } from 'node:test';

const run = promisify(execFile);

/** `npm run kit -- …` on the embedded database in `dir`: its exit code and its output (stdout, or stderr when it failed). */
export function runKit(dir: string, ...args: string[]): Promise<{ code: number; out: string }> {
  return run(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { env: { ...process.env, PGLITE_DIR: dir, DATABASE_URL: '' } })
    .then(({ stdout }) => ({ code: 0, out: stdout }), (error: { code: number; stderr: string }) => ({ code: error.code, out: error.stderr }));
}

/**
 * {@link runKit} on an embedded database of the calling suite's own (made before it, removed after it).
 */
export function kitCommand(): (...args: string[]) => Promise<{ code: number; out: string }> {
  let dir: string;
  before(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'ck-cli-')), 'db');
  });
  after(() => rm(join(dir, '..'), { recursive: true, force: true }));
  return (...args) => runKit(dir, ...args);
}
