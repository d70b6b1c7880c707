import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';
import { PinoNestLogger } from '#vim/platform';
import { WorkerModule, type WorkerOptions } from './worker.module.js';

export async function createWorker(logger: Logger, options: WorkerOptions = {}): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.register(options), { logger: new PinoNestLogger(logger) });
  app.enableShutdownHooks();
  return app.init();
}
