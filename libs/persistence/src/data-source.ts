import { DataSource, type DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations/index.js';
import { ENTITIES } from './entities/index.js';

/**
 * The one place that says how we talk to Postgres. The schema only ever changes through
 * migrations: `synchronize` stays off, and migrations run explicitly (npm run migrate).
 */
export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    // Prepared statements (preparedQuery) are planned for their parameters on every call, as
    // unnamed ones are (the claim_placements function sets its own). A plan cached once and
    // reused is made from the statistics of its first calls: a claims table analysed while empty
    // kept scanning it whole as it grew by thousands of rows a second: Postgres took half as much
    // CPU again and the placement benchmark's p99 went from about 0.1 to 0.7 s.
    extra: { max: 10, options: '-c plan_cache_mode=force_custom_plan' },
  };
}

export function createDataSource(databaseUrl: string): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl));
}
