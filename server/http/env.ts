import type { Db } from '../db/connect.ts';
import type { TransactionSql } from 'postgres';
import type { Scope } from '../auth/scopes.ts';
import type { Tenant as ApiTenant } from '../data/replies.ts';

/** The tenant as the API shows it, and what only the server reads. */
export interface Tenant extends ApiTenant {
  /** Origins allowed to embed the widgets (CORS). */
  embedOrigins: string[];
}

/** Who is calling: resolved from the bearer credential only, never from the request. */
export interface Auth {
  kind: 'api_key' | 'session';
  credentialId: string;
  /**
   * Who the credential speaks for, across renewals: an API key itself; for a session, every session its
   * key mints for the same staff member. The rate limit counts per principal, so renewing a token (or
   * minting one held to another customer) does not renew the allowance; idempotency keys belong to it
   * (and the customer a session is held to), so a retry sent with a renewed token is the same request.
   */
  principal: string;
  tenant: Tenant;
  scopes: ReadonlySet<Scope>;
  actor: { type: 'api_key' | 'staff'; id: string; name: string };
  /** A session restricted to one customer sees no other. */
  customerId: string | null;
  /** The page origin a session was minted for; requests from any other are refused. */
  origin: string | null;
  expiresAt: Date | null;
}

export interface AppEnv {
  Variables: {
    /** The pool until the request's studio transaction begins, then that transaction. */
    sql: Db;
    /** The BFF's own origin, from configuration (public-origin.ts): never read off the Host header. */
    publicOrigin: string;
    auth: Auth;
    /**
     * Settles once the request may go on (the rate limit's verdict, counted concurrently with the
     * start of the studio's transaction), rejects when it may not; the transaction awaits it before
     * the route runs.
     */
    admission: Promise<void>;
    /**
     * In the studio's transaction: its settings (studio and role), sent ahead of the route's first
     * statement. Rejects with their own error when PostgreSQL refused them; every later statement
     * of the transaction then fails with 25P02, a consequence of it (tenant-transaction.ts).
     */
    studioSettings?: Promise<unknown>;
    /**
     * Runs `read` in a short transaction of its own, as the request's studio and role: for a streamed
     * answer, which reads after the request's transaction has committed (tenant-transaction.ts).
     */
    inStudio: <T>(read: (sql: TransactionSql) => Promise<T>) => Promise<T>;
    requestId: string;
  };
}
