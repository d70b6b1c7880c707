// npm run migration:generate -- Name: writes migrations/<timestamp>-<Name>.ts with the SQL that
// takes a database at the latest migration to the entities' schema. Add the class to
// migrations/index.ts by hand (the list is explicit so nothing is picked up by accident).
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { loadConfig } from '#vim/config';
import { createDataSource } from '../data-source.js';
import { pendingSchemaChanges } from '../schema-diff.js';

const asTemplate = (sql: string): string => '`' + sql.replace(/[`\\]|\$\{/g, (m) => `\\${m}`) + '`';
const render = (queries: string[]): string =>
  queries.map((q) => `    await queryRunner.query(${asTemplate(q)});`).join('\n');

async function main(name: string | undefined): Promise<void> {
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) throw new Error('give a PascalCase migration name');
  const dataSource = await createDataSource(loadConfig().DATABASE_URL).initialize();
  try {
    await dataSource.runMigrations();
    const { up, down } = await pendingSchemaChanges(dataSource);
    if (up.length === 0) {
      console.log('no changes: the entities match the migrations');
      return;
    }
    const timestamp = Date.now();
    const file = `migrations/${timestamp}-${name}.ts`;
    writeFileSync(
      file,
      `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${name}${timestamp} implements MigrationInterface {
  name = '${name}${timestamp}';

  async up(queryRunner: QueryRunner): Promise<void> {
${render(up)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${render(down.reverse())}
  }
}
`,
    );
    console.log(`wrote ${file}`);
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(`migration:generate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
