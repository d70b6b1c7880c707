import 'reflect-metadata';
import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { AppConfig } from '#vim/config';
import { PinoNestLogger } from '#vim/platform';
import { ApiModule } from './app.module.js';
import { ProblemFilter } from './common/problem.filter.js';
import { dashboardHandler } from './dashboard/dashboard.static.js';
import { RequestValidationPipe } from './common/request-validation.pipe.js';

/** Builds the HTTP app without listening, so tests run exactly what production runs. */
export async function createApiApp(logger: Logger): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule, { bodyParser: false, logger: new PinoNestLogger(logger) });
  app.disable('x-powered-by');
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' },
      // Whatever logger the app is given, credentials in request headers never reach it.
      serializers: { req: redactCredentials },
    }),
  );
  // Before Nest's routes and middlewares, and only for paths that are not the API's: public files.
  app.use(dashboardHandler(app.get(AppConfig).DASHBOARD_DIR, logger));
  app.useGlobalFilters(new ProblemFilter(logger));
  app.useGlobalPipes(new RequestValidationPipe());
  app.enableShutdownHooks();
  mountOpenApi(app);
  return app;
}

const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

function redactCredentials(req: { headers?: Record<string, unknown> }): unknown {
  if (!req.headers) return req;
  const headers = { ...req.headers };
  for (const name of CREDENTIAL_HEADERS) if (name in headers) headers[name] = '[redacted]';
  return { ...req, headers };
}

/**
 * The OpenAPI document of an app made by createApiApp: what `/api/docs-json` serves, and what
 * `npm run api:types` turns into the dashboard's types (apps/dashboard/src/api/schema.ts).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('VIM-lite NFV orchestrator')
    .setDescription('VNF descriptors, instances, hosts and service chains. Errors are RFC 7807 problem documents.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, config);
}

function mountOpenApi(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'api/docs-json' });
}
