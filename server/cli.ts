import { parseArgs } from 'node:util';
import { createApiKey } from './auth/api-keys.ts';
import { scopeSchema } from './auth/scopes.ts';
import { databaseOptionsFromEnv, openDatabase } from './db/connect.ts';
import { migrate } from './db/migrate.ts';
import { progressBar } from './progress.ts';
import { seed } from './seed/index.ts';
import { verify } from './verify.ts';

const usage = `Usage: npm run kit -- <command>
  migrate                                          apply pending migrations
  seed --customers N --seed S [--reset]            generate a demo studio (deterministic for S)
  verify                                           check every ledger invariant; non-zero exit on a problem
  api-key create --tenant T --scopes a,b [--name N]  print a new API key (its secret is the last line)
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
  const command = positionals.join(' ');
  if (values.help || !['migrate', 'seed', 'verify', 'api-key create'].includes(command)) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  // Validate arguments before paying for a database start.
  const scopes = command === 'api-key create' ? parseScopes(values.scopes, values.tenant) : [];
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
      console.log(`Seeded ${counts.customers} customers, ${counts.passes} passes, ${counts.bookings} bookings, ` +
        `${counts.ledgerEntries} ledger entries in ${seconds} s (seed ${seedArgs.seed}).`);
    } else if (command === 'verify') {
      const { ok, problems } = await verify(db.sql);
      if (!ok) {
        console.error(`verify found ${problems.length === 1 ? 'a problem' : 'problems'}:`);
        for (const problem of problems) console.error(`  ${problem}`);
        return 1;
      }
      console.log('verify: every pass balance and running total equals its ledger, and every balance_after chains.');
    } else {
      const tenants = await db.sql<{ id: string }[]>`select id from tenants order by id`;
      if (!tenants.some((t) => t.id === values.tenant)) {
        console.error(`No tenant ${values.tenant}; this database has: ${tenants.map((t) => t.id).join(', ') || 'none (seed first)'}.`);
        return 2;
      }
      const key = await createApiKey(db.sql, { tenantId: values.tenant!, name: values.name!, scopes });
      console.log(`Created API key ${key.id} for ${values.tenant} with ${scopes.join(', ')}. The secret, shown once:`);
      console.log(key.secret);
    }
    return 0;
  } finally {
    await db.close();
  }
}

function parseScopes(list: string | undefined, tenant: string | undefined) {
  if (!tenant) throw new UsageError('api-key create needs --tenant');
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
