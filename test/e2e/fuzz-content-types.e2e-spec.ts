/**
 * Property-based fuzzing of what every route with a body takes: any content type it does not
 * take is a 415 problem document, and any JSON value that is not an object is a 400 naming the
 * root, on every route; neither stores or changes anything. (The body's contents are fuzzed in
 * fuzz.e2e-spec.ts.)
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { DEFAULT_TENANT_ID, Role } from '#vim/persistence';
import { client, type Client, startApi, tokenFor } from '../support/api.js';
import { minimalVnfd } from '../support/vnfd-builder.js';

const RUNS = { contentTypes: 400, nonObjects: 300 };
const PROPERTY_TIMEOUT_MS = 180_000;

/** The enum lists roles strongest first: a token that may call every route. */
const STRONGEST = Object.values(Role)[0];
const UNKNOWN = '00000000-0000-4000-8000-00000000f00d';
const JSON_ONLY = ['application/json'];
const DESCRIPTOR_TYPES = ['application/json', 'application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

interface Route {
  name: string;
  method: 'post' | 'patch';
  url: (ids: Ids) => string;
  takes: string[];
  /** A body the route would accept, so that only the content type is wrong. */
  body: (ids: Ids) => unknown;
}
interface Ids {
  vnfd: string;
  host: string;
}

const ROUTES: Route[] = [
  { name: 'POST /vnfds', method: 'post', url: () => '/api/v1/vnfds', takes: DESCRIPTOR_TYPES, body: () => minimalVnfd(`ct-${Math.random()}`) },
  { name: 'PATCH /vnfds/:id', method: 'patch', url: (i) => `/api/v1/vnfds/${i.vnfd}`, takes: JSON_ONLY, body: () => ({ operationalState: 'DISABLED' }) },
  { name: 'POST /tenants', method: 'post', url: () => '/api/v1/tenants', takes: JSON_ONLY, body: () => ({ name: `ct-${Math.floor(Math.random() * 1e9)}` }) },
  { name: 'POST /tokens', method: 'post', url: () => '/api/v1/tokens', takes: JSON_ONLY, body: () => ({ tenantId: DEFAULT_TENANT_ID, name: 'ct', role: 'viewer' }) },
  { name: 'POST /hosts', method: 'post', url: () => '/api/v1/hosts', takes: JSON_ONLY, body: () => ({ name: `ct-${Math.floor(Math.random() * 1e9)}`, libvirtUri: 'test:///default', ovsdbRemote: 'tcp:127.0.0.1:6640' }) },
  { name: 'PATCH /hosts/:id', method: 'patch', url: (i) => `/api/v1/hosts/${i.host}`, takes: JSON_ONLY, body: () => ({ enabled: true }) },
  {
    name: 'POST /placement/dry-run',
    method: 'post',
    url: () => '/api/v1/placement/dry-run',
    takes: JSON_ONLY,
    body: () => ({ vcpus: 1, cpuPolicy: 'shared', memoryMb: 64, pageSize: 'any', virtioPorts: 0, sriovPorts: [], vfNumaAffinity: 'preferred' }),
  },
  { name: 'POST /vnf_instances', method: 'post', url: () => '/api/v1/vnf_instances', takes: JSON_ONLY, body: (i) => ({ vnfdId: i.vnfd }) },
  { name: 'POST /vnf_instances/:id/instantiate', method: 'post', url: () => `/api/v1/vnf_instances/${UNKNOWN}/instantiate`, takes: JSON_ONLY, body: () => ({ flavourId: 'default', extVirtualLinks: {} }) },
  { name: 'POST /vnf_instances/:id/terminate', method: 'post', url: () => `/api/v1/vnf_instances/${UNKNOWN}/terminate`, takes: JSON_ONLY, body: () => ({ terminationType: 'FORCEFUL' }) },
  { name: 'POST /vnf_instances/:id/heal', method: 'post', url: () => `/api/v1/vnf_instances/${UNKNOWN}/heal`, takes: JSON_ONLY, body: () => ({ target: 'any-host' }) },
];

const mediaTypeOf = (type: string): string => type.split(';')[0].trim().toLowerCase();

const KNOWN_TYPES = [
  'text/plain',
  'text/plain; charset=utf-8',
  'text/html',
  'text/csv',
  'text/json',
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
  'application/xml',
  'text/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/problem+json',
  'application/merge-patch+json',
  'application/json-patch+json',
  'application/vnd.api+json',
  'application/ld+json',
  'application/jsonl',
  'application/x-ndjson',
  'application/javascript',
  'application/cbor',
  'application/msgpack',
  '*/*',
  'application/*',
  'json',
  'application/json-seq',
  'application/jsonx',
  ' application/jsonp',
];
/** Content types, known and made up; each route is sent only those it does not take. */
const contentType: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KNOWN_TYPES) },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z]{1,12}\/[a-z0-9][a-z0-9.+-]{0,20}$/) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...KNOWN_TYPES), fc.stringMatching(/^[a-z]{1,8}=[a-z0-9-]{1,10}$/)).map(([t, p]) => `${t}; ${p}`) },
);
/** The route's own valid body, or anything else: the content type alone must decide. */
const bodyText = (route: Route, ids: Ids): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(null).map(() => JSON.stringify(route.body(ids))) },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 200 }) },
  );
const nonObject = fc.oneof(
  fc.constantFrom('null', '[]', '[{}]', '[{"valueOf":null}]', '0', '-1.5', 'true', 'false', '""', '"{}"'),
  fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)).map((v) => JSON.stringify(v)),
);

describe('fuzzing what each route takes', () => {
  let app: INestApplication;
  let db: DataSource;
  let caller: Client;
  const ids: Ids = { vnfd: '', host: '' };

  /** Everything a refused call must leave as it was. */
  const snapshot = async (): Promise<string> => {
    const [counts] = await db.query(
      `SELECT (SELECT count(*) FROM vnf_descriptors) AS d, (SELECT count(*) FROM tenants) AS t, (SELECT count(*) FROM api_tokens) AS k,
              (SELECT count(*) FROM hosts) AS h, (SELECT count(*) FROM vnf_instances) AS i, (SELECT count(*) FROM lcm_op_occs) AS o`,
    );
    const [vnfd] = await db.query(`SELECT "operationalState", "updatedAt"::text FROM vnf_descriptors WHERE id = $1`, [ids.vnfd]);
    const [host] = await db.query(`SELECT * FROM hosts WHERE id = $1`, [ids.host]);
    return JSON.stringify({ counts, vnfd, host });
  };

  beforeAll(async () => {
    process.env.RATE_LIMIT_PER_MINUTE = '1000000';
    app = await startApi();
    db = app.get(DataSource);
    caller = client(app, await tokenFor(app, STRONGEST));
    const created = await caller.post('/api/v1/vnfds').set('content-type', 'application/json').send(JSON.stringify(minimalVnfd(`ct-target-${process.pid}`)));
    expect(created.status).toBe(201);
    ids.vnfd = created.body.id;
    const [host] = await db.query(`INSERT INTO hosts (name, "libvirtUri", "ovsdbRemote", enabled) VALUES ($1, 'test:///default', 'tcp:127.0.0.1:6640', false) RETURNING id`, [
      `ct-${process.pid}`,
    ]);
    ids.host = host.id;
  });

  afterAll(async () => {
    await app?.close();
  });

  const send = (route: Route, type: string, body: string) => caller[route.method](route.url(ids)).set('content-type', type).send(body);

  test(
    'a content type the route does not take is a 415 naming what it takes, and changes nothing',
    async () => {
      const cases = fc.constantFrom(...ROUTES).chain((route) =>
        fc.tuple(
          fc.constant(route),
          contentType.filter((type) => !route.takes.includes(mediaTypeOf(type))),
          bodyText(route, ids),
        ),
      );
      await fc.assert(
        fc.asyncProperty(cases, async ([route, type, body]) => {
          const before = await snapshot();
          const res = await send(route, type, body);
          const what = `${route.name} as ${JSON.stringify(type)}: ${res.status} ${res.text}`;
          expect([what, res.status]).toEqual([what, 415]);
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(res.body.type).toBe('urn:vim:problem:unsupported-media-type');
          for (const taken of route.takes) expect(res.body.detail).toContain(taken);
          expect(await snapshot()).toBe(before);
        }),
        { numRuns: RUNS.contentTypes },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  test(
    'a JSON body that is not an object is a 400 naming the root, and changes nothing',
    async () => {
      const jsonRoutes = ROUTES.filter((route) => route.takes === JSON_ONLY);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...jsonRoutes), nonObject, async (route, body) => {
          const before = await snapshot();
          const res = await send(route, 'application/json', body);
          const what = `${route.name} with ${body}: ${res.status} ${res.text}`;
          expect([what, res.status]).toEqual([what, 400]);
          // The root first; a reserved key inside (`[{"valueOf":null}]`) is named too, never instead.
          expect(res.body.errors[0]).toMatchObject({ path: '', message: expect.stringMatching(/^the body must be a JSON object, not /) });
          expect(await snapshot()).toBe(before);
        }),
        { numRuns: RUNS.nonObjects },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
