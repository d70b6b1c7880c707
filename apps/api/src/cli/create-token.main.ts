// npm run -s token:create -- --role platform-admin --name ops: prints a new token's secret, once.
import 'reflect-metadata';
import { createDataSource } from '#vim/persistence';
import { loadConfigOrExit } from '#vim/platform';
import { issueTokenDirectly, parseTokenRequest } from './create-token.js';

async function main(): Promise<void> {
  const request = parseTokenRequest(process.argv.slice(2));
  const db = await createDataSource(loadConfigOrExit().DATABASE_URL).initialize();
  try {
    console.log(await issueTokenDirectly(db, request));
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`token:create failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
