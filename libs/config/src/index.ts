export { AppConfig, ConfigError, loadConfig } from './config.js';
