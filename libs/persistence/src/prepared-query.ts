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
 * of on every call (it still plans each call, see dataSourceOptions, except in a
 * keyLookupTransaction). For the fixed statements placement runs hundreds of times a second
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

/**
 * A transaction for statements that only ever look rows up by key (the placement claims): its
 * prepared statements keep one generic plan per connection instead of being planned on every call
 * (planning was a third of the claim statement's time), and that plan is made without
 * sequential scans, so one made while the tables were small stays right as they grow. BEGIN and
 * both settings go in one round trip, which is why this is not `db.transaction` plus a SET.
 */
export async function keyLookupTransaction<T>(db: DataSource, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('BEGIN; SET LOCAL plan_cache_mode = force_generic_plan; SET LOCAL enable_seqscan = off');
    const result = await work(runner.manager);
    await runner.query('COMMIT');
    return result;
  } catch (error) {
    await runner.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}
