import 'reflect-metadata';
import { beforeAll } from '@jest/globals';
import { createDataSource } from '#vim/persistence';

/**
 * The first cookie of this run's service chains. The suites install chains on the shared br-int,
 * where the system `up.sh` started (cookies from 1) and other runs (a database of their own, also
 * from 1) may have chains too: a worker takes another's flows under its cookie for drift and
 * repairs them away. So a run's cookies start far above a system's, apart per process, and their
 * group-id field (cookie mod 1048575, libs/chains ids.ts) lands in its upper half, above any field
 * a system with fewer than 524,288 chains uses: 1,024 chains a run.
 */
export function e2eCookieBase(pid = process.pid): bigint {
  return 1048575n * 1048576n + 524288n + BigInt(pid % 512) * 1024n;
}

// Brings the run's database to the latest migration before the first suite (a no-op after), and
// starts its chain cookies at the run's own base (only while no chain is there yet).
beforeAll(async () => {
  const dataSource = await createDataSource(process.env.DATABASE_URL as string).initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.query(
      `SELECT setval(pg_get_serial_sequence('service_chains', 'cookie'), $1::bigint, false) WHERE NOT EXISTS (SELECT 1 FROM service_chains)
         AND (SELECT last_value FROM service_chains_cookie_seq) < $1::bigint`,
      [e2eCookieBase().toString()],
    );
  } finally {
    await dataSource.destroy();
  }
});
