// npm run migrate [-- revert | show]: applies (or reverts the last, or lists) the migrations.
import 'reflect-metadata';
import { loadConfig } from '#vim/config';
import { createDataSource } from '../data-source.js';

async function main(command = 'run'): Promise<void> {
  const dataSource = await createDataSource(loadConfig().DATABASE_URL).initialize();
  try {
    if (command === 'run') {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      console.log(applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}` : 'schema is up to date');
    } else if (command === 'revert') {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('reverted the last migration');
    } else if (command === 'show') {
      console.log((await dataSource.showMigrations()) ? 'migrations are pending' : 'schema is up to date');
    } else {
      throw new Error(`unknown command '${command}' (run, revert, show)`);
    }
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(`migrate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
