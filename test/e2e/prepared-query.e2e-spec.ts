import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { type DataSource, QueryFailedError } from 'typeorm';
import { createDataSource, PG, pgError, preparedQuery } from '#vim/persistence';

describe('preparedQuery against Postgres', () => {
  let db: DataSource;
  const table = `prepared_${process.pid}`;

  beforeAll(async () => {
    db = await createDataSource(process.env.DATABASE_URL as string).initialize();
    await db.query(`CREATE TABLE ${table} (id int PRIMARY KEY, label text)`);
  });

  afterAll(async () => {
    await db.query(`DROP TABLE IF EXISTS ${table}`);
    await db.destroy();
  });

  test('runs on the pool with parameters, again and again under one statement name', async () => {
    for (let i = 1; i <= 3; i++) await preparedQuery(db, `INSERT INTO ${table} (id, label) VALUES ($1, $2)`, [i, `row ${i}`]);
    const rows = await preparedQuery<{ id: number; label: string }>(db, `SELECT id, label FROM ${table} WHERE id = ANY($1::int[]) ORDER BY id`, [[1, 3]]);
    expect(rows).toEqual([
      { id: 1, label: 'row 1' },
      { id: 3, label: 'row 3' },
    ]);
  });

  test("inside a transaction it uses the transaction's connection: a rollback takes its writes back", async () => {
    await db
      .transaction(async (tx) => {
        await preparedQuery(tx, `INSERT INTO ${table} (id, label) VALUES ($1, $2)`, [10, 'rolled back']);
        const seen = await preparedQuery<{ n: number }>(tx, `SELECT count(*)::int AS n FROM ${table} WHERE id = $1`, [10]);
        expect(seen).toEqual([{ n: 1 }]);
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await preparedQuery(db, `SELECT id FROM ${table} WHERE id = $1`, [10])).toEqual([]);
  });

  test("a failure is TypeORM's QueryFailedError with the driver's SQLSTATE", async () => {
    const error = await preparedQuery(db, `INSERT INTO ${table} (id, label) VALUES ($1, $2)`, [1, 'again']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect(pgError(error, PG.UNIQUE_VIOLATION)).toBeDefined();
  });
});
