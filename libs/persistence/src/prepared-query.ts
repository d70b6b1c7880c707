import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';

type Queryable = Pick<Pool | PoolClient, 'query'>;

/** One name per statement text (the texts are the code's own, so few): a connection refuses a known name with a different text. */
const names = new Map<string, string>();

function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) names.set(text, (name = `vim_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`));
  return name;
}

/** The transaction's connection, or the pool (which lends one connection for the call). */
async function connectionOf(db: DataSource | EntityManager): Promise<Queryable> {
  const manager = 'manager' in db ? db.manager : db;
  if (manager.queryRunner && !manager.queryRunner.isReleased) return (await manager.queryRunner.connect()) as PoolClient;
  return (manager.connection.driver as unknown as { master: Pool }).master;
}

/**
 * `db.query`, as a named prepared statement: Postgres parses the text once per connection instead
 * of on every call (it still plans each call, see dataSourceOptions; the claim_placements
 * function sets its own). For the fixed statements placement runs hundreds of times a second
 * (claims, snapshot reads): parsing and planning them took a quarter of Postgres's CPU in the
 * placement benchmark. Failures are TypeORM's QueryFailedError, as from `db.query`.
 */
export async function preparedQuery<T>(db: DataSource | EntityManager, text: string, values: unknown[]): Promise<T[]> {
  const connection = await connectionOf(db);
  try {
    return (await connection.query({ name: statementName(text), text, values })).rows as T[];
  } catch (error) {
    throw new QueryFailedError(text, values, error as Error);
  }
}
