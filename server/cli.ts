import { parseArgs } from 'node:util';
import { createApiKey, listApiKeys, revokeApiKey } from './auth/api-keys.ts';
import { addEmbedOrigins, listEmbedOrigins, originOf, removeEmbedOrigins } from './auth/embed-origins.ts';
import { scopeSchema } from './auth/scopes.ts';
import { databaseOptionsFromEnv, openDatabase, type Sql } from './db/connect.ts';
import { migrate } from './db/migrate.ts';
import { progressBar } from './progress.ts';
import { seed } from './seed/index.ts';
import { verify } from './verify.ts';

const usage = `Usage: npm run kit -- <command>
  migrate                                          apply pending migrations
  seed [--customers N] [--seed S] [--reset]        generate a demo studio (deterministic for S)
  verify                                           check every ledger invariant; non-zero exit on a problem
  api-key create --tenant T --scopes a,b [--name N]  print a new API key (its secret is the last line)
  api-key list --tenant T                          a studio's API keys: id, name, scopes, last use, revoked
  api-key revoke --tenant T <key id>               revoke a key, and the embed sessions it minted
  origins list|add|remove --tenant T [origin …]    a studio's embed origins (pages that may embed the kit)
Uses DATABASE_URL when set, otherwise the embedded database in PGLITE_DIR (default .data/pglite).`;

class UsageError extends Error {}

const positiveInt = (value: string | undefined, name: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} takes a whole number (got ${value ?? 'nothing'})`);
  return n;
};

async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      customers: { type: 'string', default: '300' },
      seed: { type: 'string', default: '1' },
      reset: { type: 'boolean', default: false },
      tenant: { type: 'string' },
      scopes: { type: 'string' },
      name: { type: 'string', default: 'cli' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  // Two-word commands take arguments after their words (`origins add <origin …>`, `api-key revoke <id>`).
  const command = ['origins', 'api-key'].includes(positionals[0]!) ? positionals.slice(0, 2).join(' ') : positionals.join(' ');
  const commands = ['migrate', 'seed', 'verify', 'api-key create', 'api-key list', 'api-key revoke', 'origins list', 'origins add', 'origins remove'];
  if (values.help || !commands.includes(command)) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  // Validate arguments before paying for a database start.
  if (/^(origins|api-key) /.test(command) && !values.tenant) throw new UsageError(`${command} needs --tenant`);
  if (command === 'api-key create' && positionals.length > 2) throw new UsageError('api-key create takes its values as options (--scopes, --name)');
  const scopes = command === 'api-key create' ? parseScopes(values.scopes) : [];
  const origins = command.startsWith('origins ') ? parseOrigins(command, positionals.slice(2)) : [];
  const keyId = command === 'api-key list' || command === 'api-key revoke' ? parseKeyId(command, positionals.slice(2)) : '';
  const seedArgs = command === 'seed'
    ? { customers: positiveInt(values.customers, 'customers'), seed: positiveInt(values.seed, 'seed') }
    : null;

  const db = await openDatabase(databaseOptionsFromEnv());
  try {
    const applied = await migrate(db.sql);
    if (command === 'migrate') {
      console.log(applied.length ? `Applied ${applied.join(', ')}` : 'The schema is up to date.');
    } else if (seedArgs) {
      const started = performance.now();
      const counts = await seed(db.sql, { ...seedArgs, reset: values.reset, onProgress: progressBar('Seeding') });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`Seeded ${counts.customers} customers (biz_demo and biz_other), ${counts.passes} passes, ${counts.bookings} bookings, ` +
        `${counts.ledgerEntries} ledger entries in ${seconds} s (seed ${seedArgs.seed}).`);
    } else if (command === 'verify') {
      const { ok, problems } = await verify(db.sql);
      if (!ok) {
        console.error(`verify found ${problems.length === 1 ? 'a problem' : 'problems'}:`);
        for (const problem of problems) console.error(`  ${problem}`);
        return 1;
      }
      console.log('verify: every pass balance and running total equals its ledger, and every balance_after chains.');
    } else if (!(await tenantExists(db.sql, values.tenant!))) {
      return 2;
    } else if (command.startsWith('origins ')) {
      const change = { 'origins add': addEmbedOrigins, 'origins remove': removeEmbedOrigins }[command];
      const list = change ? await change(db.sql, values.tenant!, origins) : await listEmbedOrigins(db.sql, values.tenant!);
      console.log(list!.length ? `Embed origins of ${values.tenant}:\n${list!.join('\n')}` : `${values.tenant} has no embed origins.`);
    } else if (command === 'api-key list') {
      const keys = await listApiKeys(db.sql, values.tenant!);
      if (!keys.length) console.log(`${values.tenant} has no API keys.`);
      for (const k of keys) {
        const state = k.revoked_at ? `revoked ${k.revoked_at.toISOString()}` : `last used ${k.last_used_at?.toISOString() ?? 'never'}`;
        console.log(`${k.id}  ${k.name}  created ${k.created_at.toISOString()}  ${state}  ${k.scopes.join(',')}`);
      }
    } else if (command === 'api-key revoke') {
      const revoked = await revokeApiKey(db.sql, values.tenant!, keyId);
      if (!revoked) {
        console.error(`${values.tenant} has no API key ${keyId} (npm run kit -- api-key list --tenant ${values.tenant}).`);
        return 1;
      }
      console.log(`API key ${keyId} of ${values.tenant} is revoked since ${revoked.toISOString()}, and so is every embed session it minted.`);
    } else {
      const key = await createApiKey(db.sql, { tenantId: values.tenant!, name: values.name!, scopes });
      console.log(`Created API key ${key.id} for ${values.tenant} with ${scopes.join(', ')}. The secret, shown once:`);
      console.log(key.secret);
    }
    return 0;
  } finally {
    await db.close();
  }
}

async function tenantExists(sql: Sql, tenant: string) {
  const tenants = await sql<{ id: string }[]>`select id from tenants order by id`;
  if (tenants.some((t) => t.id === tenant)) return true;
  console.error(`No tenant ${tenant}; this database has: ${tenants.map((t) => t.id).join(', ') || 'none (seed first)'}.`);
  return false;
}

/** Origins as browsers send them (`originOf`); anything else is refused before the database starts. */
function parseOrigins(command: string, given: string[]) {
  if (command === 'origins list') return [];
  if (!given.length) throw new UsageError(`${command} takes one origin or more, e.g. https://portal.example.com`);
  return given.map((text) => {
    const origin = originOf(text);
    if (!origin) throw new UsageError(`${text} is not an origin: scheme, host and optional port only, e.g. https://portal.example.com or http://localhost:8790`);
    return origin;
  });
}

/** `api-key list` takes no id, `api-key revoke` exactly one. */
function parseKeyId(command: string, given: string[]) {
  if (command === 'api-key list') {
    if (given.length) throw new UsageError('api-key list takes no arguments besides --tenant');
    return '';
  }
  if (given.length !== 1 || !/^key_\w+$/.test(given[0]!)) throw new UsageError('api-key revoke takes one key id, e.g. key_…, from api-key list');
  return given[0]!;
}

function parseScopes(list: string | undefined) {
  const parsed = (list ?? '').split(',').filter(Boolean).map((s) => scopeSchema.safeParse(s.trim()));
  const bad = parsed.find((p) => !p.success);
  if (parsed.length === 0 || bad) {
    throw new UsageError(`--scopes takes a comma-separated list of: ${scopeSchema.options.join(', ')}`);
  }
  return parsed.map((p) => p.data!);
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exitCode = 2;
  } else {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
