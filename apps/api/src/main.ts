import { createLogger, loadConfigOrExit } from '#vim/platform';
import { createApiApp } from './bootstrap.js';

const config = loadConfigOrExit();
const logger = createLogger(config.LOG_LEVEL, 'api');
const app = await createApiApp(logger);
await app.listen(config.API_PORT, config.API_HOST);
logger.info({ url: `http://${config.API_HOST}:${config.API_PORT}` }, 'api listening');
