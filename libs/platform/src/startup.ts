import { AppConfig, loadConfig } from '#vim/config';

/** Configuration for a process entry point: a bad environment ends it with the list of problems. */
export function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  }
}
