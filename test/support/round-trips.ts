import { connect, createServer, type Socket } from 'node:net';
import postgres, { type Sql } from 'postgres';

/**
 * Counts SQL round trips on the wire. A proxy sits between a postgres.js client and the database
 * (the PostgreSQL server, or PGlite's socket server — the same protocol) and watches both directions:
 * whenever the client sends after the server has answered, a new round trip begins (bytes sent before
 * any answer came back — a pipeline — belong to the same trip). Nothing of postgres.js is stubbed: a
 * statement prepared on first use (Parse + Describe + Flush, wait, then Bind + Execute + Sync) costs the
 * two round trips it really costs. Each trip records the SQL it parsed or executed (from the Parse that
 * named the statement), so a test can tell authentication from the rest.
 */

export interface Trip {
  /** The statements this round trip parsed or executed. */
  sql: string[];
}

export interface CountingClient {
  /** A postgres.js client whose every byte goes through the counter. */
  sql: Sql;
  /** Round trips since the last `reset()`. */
  trips: Trip[];
  reset(): void;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;

const cstring = (buf: Buffer, at: number): [string, number] => {
  const end = buf.indexOf(0, at);
  return [buf.toString('utf8', at, end), end + 1];
};

/** Reads one connection's frontend messages, opening a trip whenever the client speaks after the server. */
function connectionReader(record: (trip: Trip) => void) {
  let pending = Buffer.alloc(0);
  let started = false;
  let answered = true;
  let trip: Trip = { sql: [] };
  const statements = new Map<string, string>();
  const note = (text: string | undefined) => {
    if (text !== undefined && trip.sql.at(-1) !== text) trip.sql.push(text);
  };
  return {
    fromServer() {
      answered = true;
    },
    fromClient(chunk: Buffer) {
      if (answered) {
        trip = { sql: [] };
        record(trip);
        answered = false;
      }
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        if (!started) {
          // Untyped: SSLRequest / GSSENCRequest (then another untyped one) or the startup message.
          if (pending.length < 8) return;
          const length = pending.readInt32BE(0);
          if (pending.length < length) return;
          const code = pending.readInt32BE(4);
          pending = pending.subarray(length);
          if (code !== SSL_REQUEST && code !== GSS_REQUEST) started = true;
          continue;
        }
        if (pending.length < 5) return;
        const type = String.fromCharCode(pending[0]!);
        const length = pending.readInt32BE(1);
        if (pending.length < 1 + length) return;
        const body = pending.subarray(5, 1 + length);
        pending = pending.subarray(1 + length);
        if (type === 'P') {
          const [name, next] = cstring(body, 0);
          const [text] = cstring(body, next);
          statements.set(name, text);
          note(text);
        } else if (type === 'B') {
          const [, next] = cstring(body, 0);
          note(statements.get(cstring(body, next)[0]));
        } else if (type === 'Q') {
          note(cstring(body, 0)[0]);
        }
      }
    },
  };
}

/**
 * A client like `sql` (same database, user and password) whose connections run through the counter.
 * `max` defaults to 1 so that a test sees one connection warm up once.
 */
export async function countingClient(sql: Sql, options: { max?: number } = {}): Promise<CountingClient> {
  // The embedded database listens on a Unix socket (server/db/connect.ts), a server on a TCP port.
  const { path } = sql.options;
  const target = path ? { path } : { host: sql.options.host[0] ?? '127.0.0.1', port: sql.options.port[0] ?? 5432 };
  const trips: Trip[] = [];
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    const upstream = connect(target);
    sockets.add(client).add(upstream);
    const reader = connectionReader((trip) => trips.push(trip));
    client.on('data', (chunk: Buffer) => {
      reader.fromClient(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      reader.fromServer();
      client.write(chunk);
    });
    const end = () => (client.destroy(), upstream.destroy());
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const pass = typeof sql.options.pass === 'string' ? sql.options.pass : undefined;
  const counted = postgres({
    host: '127.0.0.1', port, database: sql.options.database, user: sql.options.user, pass,
    max: options.max ?? 1, onnotice: () => {},
  });
  return {
    sql: counted,
    trips,
    reset: () => void trips.splice(0),
    async close() {
      await counted.end({ timeout: 5 });
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}
