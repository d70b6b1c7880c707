import { createLogger, loadConfigOrExit } from '#vim/platform';
import { createWorker } from './bootstrap.js';

const config = loadConfigOrExit();
const logger = createLogger(config.LOG_LEVEL, 'worker');
await createWorker(logger);
logger.info('worker consuming queues');
