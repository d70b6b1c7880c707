import pg from 'pg';

/** Where the end-to-end tests find Postgres: the server from deploy/local, databases of their own. */
const BASE = process.env.E2E_POSTGRES_URL ?? 'postgres://vim:vim@127.0.0.1:5432';

export const databaseUrl = (name: string): string => `${BASE}/${name}`;

/** Drops and creates a database, for suites that need one of their own (e.g. empty). */
export async function recreateDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}
