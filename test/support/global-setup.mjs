// Plain JS: jest loads globalSetup outside its module system, where our TypeScript imports
// do not resolve. Every run gets a fresh, empty database on the Postgres that
// deploy/local/services-up.sh started; migrate.ts brings it to the latest migration.
import pg from 'pg';

const base = process.env.E2E_POSTGRES_URL ?? 'postgres://vim:vim@127.0.0.1:5432';
const database = process.env.E2E_DATABASE ?? 'vim_e2e';

export default async function globalSetup() {
  const client = new pg.Client({ connectionString: `${base}/postgres` });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  process.env.DATABASE_URL = `${base}/${database}`;
  // Suites share this database but each has queues of its own: to one suite's worker, another
  // suite's open operations would look like operations whose jobs were lost. The reconciler is
  // for one deployment per database; the suites that test it turn it on for themselves.
  process.env.RECONCILE_INTERVAL_SECONDS = process.env.RECONCILE_INTERVAL_SECONDS ?? '0';
  // Queues of their own too: a worker that deploy/local/up.sh started consumes the default prefix,
  // and must neither take the suites' jobs nor get its own taken.
  process.env.QUEUE_PREFIX = process.env.E2E_QUEUE_PREFIX ?? 'vim-e2e';
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
}
