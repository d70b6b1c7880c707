export { AppConfig, ConfigError, loadConfig } from './config.js';
export { repoRoot } from './repo-root.js';
