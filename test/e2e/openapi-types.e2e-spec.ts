import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { buildOpenApiDocument } from '../../apps/api/src/bootstrap.js';
import { generateOpenApiTypes, type OpenApiDocument } from '../../apps/api/src/cli/openapi-types.js';
import { startApi } from '../support/api.js';

// The dashboard's types (apps/dashboard/src/api/schema.ts) are generated from the OpenAPI document
// by `npm run api:types` and committed; this fails when the API changed and they were not regenerated.
const SCHEMA_TS = fileURLToPath(new URL('../../apps/dashboard/src/api/schema.ts', import.meta.url));

describe('OpenAPI types for the dashboard', () => {
  let app: INestApplication;
  let served: OpenApiDocument;

  beforeAll(async () => {
    app = await startApi();
    served = (await request(app.getHttpServer()).get('/api/docs-json').expect(200)).body as OpenApiDocument;
  });

  afterAll(async () => {
    await app?.close();
  });

  test('the document npm run api:types reads is the one /api/docs-json serves', () => {
    expect(JSON.parse(JSON.stringify(buildOpenApiDocument(app)))).toEqual(served);
  });

  test('the committed schema.ts is what the generator makes from the live document (npm run build && npm run api:types)', () => {
    const committed = readFileSync(SCHEMA_TS, 'utf8');
    const expected = generateOpenApiTypes(served);
    // A plain equality first, so the message is short; the diff below shows where when it fails.
    if (committed !== expected) expect(committed).toEqual(expected);
  });

  test('the types the dashboard imports exist', () => {
    const committed = readFileSync(SCHEMA_TS, 'utf8');
    for (const name of ['HostView', 'HostSummaryView', 'CellCapacityView', 'ServiceChainView', 'VnfInstanceView', 'VnfdSummary', 'LcmOpOccView', 'ChainOpOccView']) {
      expect(committed).toMatch(new RegExp(`^export type ${name} = `, 'm'));
    }
    expect(committed).toMatch(/^export interface paths \{/m);
  });
});
