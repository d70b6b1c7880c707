// npm run api:types: writes apps/dashboard/src/api/schema.ts, the dashboard's types, from the OpenAPI
// document the api serves at /api/docs-json (built the same way: buildOpenApiDocument over createApiApp).
// Builds the app against DATABASE_URL and REDIS_URL like the api does; it listens on nothing.
// `--stdout` prints the source instead of writing it; `--json` prints the document itself.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from '#vim/config';
import { createLogger } from '#vim/platform';
import { buildOpenApiDocument, createApiApp } from '../bootstrap.js';
import { generateOpenApiTypes, type OpenApiDocument } from './openapi-types.js';

const SCHEMA_TS = 'apps/dashboard/src/api/schema.ts';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const app = await createApiApp(createLogger('silent', 'api-types'));
  try {
    const document = buildOpenApiDocument(app) as unknown as OpenApiDocument;
    if (args.includes('--json')) {
      process.stdout.write(JSON.stringify(document, null, 2) + '\n');
      return;
    }
    const source = generateOpenApiTypes(document);
    if (args.includes('--stdout')) {
      process.stdout.write(source);
      return;
    }
    const target = resolve(repoRoot(), SCHEMA_TS);
    writeFileSync(target, source);
    console.log(`wrote ${target} (${Object.keys(document.components?.schemas ?? {}).length} schemas)`);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(`api:types failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
