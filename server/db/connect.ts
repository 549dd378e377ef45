import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres, { type Sql, type TransactionSql } from 'postgres';

export type { Sql };

/** What data functions take: the pool or a transaction, so one function serves both. */
export type Db = Sql | TransactionSql;

export interface Database {
  sql: Sql;
  /** `server` for DATABASE_URL, `embedded` for PGlite. */
  kind: 'server' | 'embedded';
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A PostgreSQL URL; without it the database is an embedded PGlite. */
  url?: string;
  /** Where PGlite keeps its files; `memory://` keeps them in memory. */
  pgliteDir?: string;
  /** Connections in the pool (server only: PGlite serves one session). */
  max?: number;
  /** Cancel any statement running longer (a PostgreSQL server only; the BFF sets it, batch commands do not). */
  statementTimeoutMs?: number;
}

const quiet = { onnotice: () => {} };

export function databaseOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseOptions {
  return { url: env.DATABASE_URL || undefined, pgliteDir: env.PGLITE_DIR || '.data/pglite' };
}

/** One connection factory: postgres.js over a real server, or over PGlite through its socket server. */
export async function openDatabase(options: DatabaseOptions = databaseOptionsFromEnv()): Promise<Database> {
  if (options.url) {
    const connection = options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {};
    const sql = postgres(options.url, { ...quiet, max: options.max ?? 10, connection });
    return { sql, kind: 'server', close: () => sql.end({ timeout: 5 }) };
  }
  // PGlite runs each statement to its end on one thread: it has no statement_timeout to set.
  return openEmbedded(options.pgliteDir ?? '.data/pglite');
}

async function openEmbedded(dir: string): Promise<Database> {
  const [{ PGlite }, { pg_trgm }, { PGLiteSocketServer }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('@electric-sql/pglite-socket'),
  ]);
  const memory = dir.startsWith('memory://');
  if (!memory) await mkdir(dir, { recursive: true });
  const unlock = memory ? async () => {} : await lockDirectory(dir);
  const db = await PGlite.create(dir, { extensions: { pg_trgm } }).catch(async (error: unknown) => {
    await unlock();
    throw error;
  });
  // A Unix socket in a directory only this user may enter: PGlite has no passwords, and its superuser
  // session on a TCP port would let any local process past row-level security. Windows has no socket
  // files: a named pipe there (untested on Windows).
  const socketDir = process.platform === 'win32' ? undefined : await mkdtemp(join(tmpdir(), 'customer-kit-'));
  const path = socketDir ? join(socketDir, '.s.PGSQL') : `\\\\.\\pipe\\customer-kit-${randomUUID()}`;
  const server = new PGLiteSocketServer({ db, path });
  await server.start();
  // PGlite has one session: a pool of one keeps postgres.js from interleaving statements on it.
  const sql = postgres({ ...quiet, path, user: 'postgres', database: 'postgres', max: 1 });
  return {
    sql,
    kind: 'embedded',
    async close() {
      await sql.end({ timeout: 5 });
      await server.stop();
      if (socketDir) await rm(socketDir, { recursive: true, force: true });
      await db.close();
      await unlock();
    },
  };
}

/**
 * One process at a time on an embedded database's directory: a second PGlite opening it (the CLI
 * while `npm start` runs) works on its own copy, and what one of them writes is lost when the other
 * closes. A lock file beside the directory names the holder; one whose process has gone is stale and
 * taken over. Returns the release.
 */
async function lockDirectory(dir: string): Promise<() => Promise<void>> {
  const path = `${dir.replace(/\/+$/, '')}.lock`;
  for (;;) {
    try {
      await writeFile(path, String(process.pid), { flag: 'wx' });
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(await readFile(path, 'utf8').catch(() => ''));
    if (holder && running(holder)) {
      throw new Error(`The embedded database in ${dir} is in use by process ${holder} (is npm start running?): ` +
        `stop it first, or give this command another PGLITE_DIR. If no such process runs, delete ${path}.`);
    }
    await rm(path, { force: true });
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
