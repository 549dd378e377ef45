import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import postgres from 'postgres';
import { openDatabase, type Database } from '../../server/db/connect.ts';
import { migrate } from '../../server/db/migrate.ts';

/** The PostgreSQL server the tests also run against when it listens (a fresh database per suite). */
export const serverUrl = new URL(process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');

function listens(host: string, port: number) {
  return new Promise<boolean>((resolve) => {
    const socket = connect({ host, port, timeout: 500 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

export interface DatabaseTarget {
  label: string;
  /** Opens a migrated, empty database; `close()` also drops it on the server. */
  open(): Promise<Database>;
}

const embedded: DatabaseTarget = {
  label: 'embedded PGlite',
  async open() {
    const db = await openDatabase({ pgliteDir: 'memory://' });
    await migrate(db.sql);
    return db;
  },
};

const server: DatabaseTarget = {
  label: 'PostgreSQL server',
  async open() {
    const name = `ck_test_${randomBytes(6).toString('hex')}`;
    const admin = postgres(serverUrl.href, { max: 1, onnotice: () => {} });
    await admin`create database ${admin(name)}`;
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const db = await openDatabase({ url: url.href });
    await migrate(db.sql);
    return {
      ...db,
      async close() {
        await db.close();
        await admin`drop database if exists ${admin(name)} with (force)`;
        await admin.end();
      },
    };
  },
};

let serverListens: Promise<boolean> | undefined;

/** Embedded always; the real server too when one listens (and says so when it does not). */
export async function databaseTargets(): Promise<DatabaseTarget[]> {
  serverListens ??= listens(serverUrl.hostname, Number(serverUrl.port || 5432)).then((up) => {
    if (!up) console.log(`# no PostgreSQL server on ${serverUrl.host}: these suites run on the embedded database only`);
    return up;
  });
  return (await serverListens) ? [embedded, server] : [embedded];
}
