import 'reflect-metadata';
import { beforeAll } from '@jest/globals';
import { createDataSource } from '#vim/persistence';

// Brings the run's database to the latest migration before the first suite (a no-op after).
beforeAll(async () => {
  const dataSource = await createDataSource(process.env.DATABASE_URL as string).initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
});
