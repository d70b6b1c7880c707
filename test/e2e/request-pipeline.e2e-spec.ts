/**
 * The order in which a request is handled, and what each step refuses (issue 17, part 2):
 * authentication and the rate limit come before a body is read; every refusal, wherever it is
 * made, is audited; a JSON route takes a JSON object sent as application/json and nothing else;
 * a NUL anywhere is a 400 naming where; a fault of the server's is a generic 500.
 */
import { afterAll, afterEach, beforeAll, describe, expect, jest, test } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import iconv from 'iconv-lite';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { RateLimiter } from '../../apps/api/src/auth/rate-limiter.service.js';
import { TokenStore } from '../../apps/api/src/auth/token-store.service.js';
import { VnfdCatalogue } from '../../apps/api/src/vnfds/vnfd-catalogue.service.js';
import { DEFAULT_TENANT_ID, Role } from '#vim/persistence';
import { client, type Client, startApi } from '../support/api.js';
import { minimalVnfd } from '../support/vnfd-builder.js';

/** The enum lists roles strongest first: the role that may change hosts. */
const STRONGEST = Object.values(Role)[0];
const MISSING = '00000000-0000-4000-8000-00000000beef';

describe('request pipeline', () => {
  let app: INestApplication;
  let db: DataSource;
  let operator: Client;
  let operatorSecret: string;
  let hostAdmin: Client;
  let vnfdId: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    app = await startApi({ write: (line: string) => void logLines.push(line) });
    db = app.get(DataSource);
    const tokens = app.get(TokenStore);
    operatorSecret = (await tokens.issue({ tenantId: DEFAULT_TENANT_ID, name: 'pipeline-operator', role: Role.OPERATOR })).secret;
    operator = client(app, operatorSecret);
    hostAdmin = client(app, (await tokens.issue({ tenantId: DEFAULT_TENANT_ID, name: 'pipeline-hosts', role: STRONGEST })).secret);
    const created = await operator.post('/api/v1/vnfds').set('content-type', 'application/json').send(JSON.stringify(minimalVnfd(`pipeline-${process.pid}`)));
    expect(created.status).toBe(201);
    vnfdId = created.body.id;
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await app?.close();
  });

  const server = () => app.getHttpServer();
  const anonymous = () => client(app);

  /** The status audit_events recorded for the request, once its row is written (after the answer). */
  async function auditedStatuses(requestId: string): Promise<number[]> {
    for (let i = 0; i < 100; i++) {
      const rows: { status: number }[] = await db.query(`SELECT status FROM audit_events WHERE "requestId" = $1`, [requestId]);
      if (rows.length > 0) return rows.map((r) => r.status);
      await new Promise((r) => setTimeout(r, 50));
    }
    return [];
  }

  /**
   * Sends the headers and a body's first bytes only, with a Content-Length that promises more:
   * the answer can only arrive if the server decided without reading the body.
   */
  function sendHeadersOnly(path: string, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
    const { port } = server().address() as AddressInfo;
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '60000', ...headers } });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
        });
      });
      req.on('error', reject);
      req.write('{"name":');
    });
  }

  describe('authentication and the rate limit come before the body', () => {
    test('an anonymous caller gets 401 whatever its body: too large, malformed or a reserved key', async () => {
      const huge = 'x'.repeat(2 * 1024 * 1024);
      const tooLarge = await anonymous().post('/api/v1/vnfds').set('content-type', 'application/yaml').send(huge);
      expect(tooLarge.status).toBe(401);
      expect(tooLarge.body.type).toBe('urn:vim:problem:unauthenticated');
      await anonymous().patch(`/api/v1/vnfds/${vnfdId}`).set('content-type', 'application/json').send('{"operationalState":').expect(401);
      await anonymous().post('/api/v1/vnf_instances').set('content-type', 'application/json').send('{"__proto__":{}}').expect(401);
    });

    test('a token that is unknown gets 401, not the body reader 413', async () => {
      const garbage = client(app, `vim_${'g'.repeat(43)}`);
      const res = await garbage.patch(`/api/v1/vnfds/${vnfdId}`).set('content-type', 'application/json').send(JSON.stringify({ operationalState: 'x'.repeat(100 * 1024) }));
      expect(res.status).toBe(401);
    });

    test('the body of a refused caller is not read: the answer comes while the body is still unsent', async () => {
      const res = await sendHeadersOnly('/api/v1/vnf_instances', {});
      expect(res).toMatchObject({ status: 401, body: { type: 'urn:vim:problem:unauthenticated' } });
      const withBadToken = await sendHeadersOnly('/api/v1/vnf_instances', { authorization: `Bearer vim_${'h'.repeat(43)}` });
      expect(withBadToken.status).toBe(401);
    });

    test('a token past its rate limit gets 429 before its body is read', async () => {
      // The window is the wall-clock minute: keep the burst clear of its boundary.
      const second = new Date().getSeconds();
      if (second >= 50) await new Promise((r) => setTimeout(r, (61 - second) * 1000));
      const { row, secret } = await app.get(TokenStore).issue({ tenantId: DEFAULT_TENANT_ID, name: 'pipeline-throttled', role: Role.OPERATOR });
      const limiter = app.get(RateLimiter);
      const exhaust = async (): Promise<void> => {
        for (;;) await limiter.check(row.id);
      };
      await expect(exhaust()).rejects.toMatchObject({ status: 429 });
      const malformed = await client(app, secret).patch(`/api/v1/vnfds/${vnfdId}`).set('content-type', 'application/json').send('{"operationalState":');
      expect(malformed.status).toBe(429);
      expect(malformed.body.type).toBe('urn:vim:problem:rate-limited');
      const unsent = await sendHeadersOnly('/api/v1/vnf_instances', { authorization: `Bearer ${secret}` });
      expect(unsent.status).toBe(429);
    }, 30_000);

    test('requests without a body are still authenticated (by the guard)', async () => {
      await anonymous().get('/api/v1/vnfds').expect(401);
      await operator.get('/api/v1/vnfds').expect(200);
      await anonymous().get('/healthz').expect(200);
    });
  });

  describe('every refusal is audited, the body reader\'s included', () => {
    const refusals: { kind: string; status: number; send: (rid: string) => request.Test }[] = [
      { kind: 'too large (413)', status: 413, send: (rid) => operator.patch(`/api/v1/vnfds/${vnfdId}`).set('x-request-id', rid).set('content-type', 'application/json').send(JSON.stringify({ operationalState: 'x'.repeat(70 * 1024) })) },
      { kind: 'syntax error', status: 400, send: (rid) => operator.patch(`/api/v1/vnfds/${vnfdId}`).set('x-request-id', rid).set('content-type', 'application/json').send('{"operationalState": ENABLED}') },
      { kind: 'reserved key', status: 400, send: (rid) => operator.patch(`/api/v1/vnfds/${vnfdId}`).set('x-request-id', rid).set('content-type', 'application/json').send('{"operationalState":"ENABLED","__proto__":{"x":1}}') },
      { kind: 'unsupported content type (415)', status: 415, send: (rid) => operator.patch(`/api/v1/vnfds/${vnfdId}`).set('x-request-id', rid).set('content-type', 'text/plain').send('{"operationalState":"ENABLED"}') },
      { kind: 'body not an object', status: 400, send: (rid) => operator.patch(`/api/v1/vnfds/${vnfdId}`).set('x-request-id', rid).set('content-type', 'application/json').send('null') },
      { kind: 'NUL in the body', status: 400, send: (rid) => operator.patch(`/api/v1/vnfds/${vnfdId}`).set('x-request-id', rid).set('content-type', 'application/json').send('{"operationalState":"ENABLED\\u0000"}') },
      { kind: 'NUL in the path', status: 400, send: (rid) => operator.delete('/api/v1/vnfds/%00').set('x-request-id', rid) },
      { kind: 'anonymous with a large body (401)', status: 401, send: (rid) => anonymous().post('/api/v1/vnfds').set('x-request-id', rid).set('content-type', 'application/yaml').send('x'.repeat(2 * 1024 * 1024)) },
    ];

    test.each(refusals)('$kind: one audit row with its status', async ({ status, send }) => {
      const requestId = `pipeline-${randomUUID()}`;
      const res = await send(requestId);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(await auditedStatuses(requestId)).toEqual([status]);
    });
  });

  describe('a JSON route takes a JSON object sent as application/json', () => {
    let hostId: string;

    beforeAll(async () => {
      const [host] = await db.query(
        `INSERT INTO hosts (name, "libvirtUri", "ovsdbRemote", enabled) VALUES ($1, 'test:///default', 'tcp:127.0.0.1:6640', false) RETURNING id`,
        [`pipeline-${process.pid}`],
      );
      hostId = host.id;
    });

    const hostEnabled = async (): Promise<boolean> => (await db.query(`SELECT enabled FROM hosts WHERE id = $1`, [hostId]))[0].enabled;

    test('PATCH /hosts/:id with {"enabled":true} as text/plain is a 415 naming application/json, and changes nothing', async () => {
      const res = await hostAdmin.patch(`/api/v1/hosts/${hostId}`).set('content-type', 'text/plain').send('{"enabled":true}');
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({ type: 'urn:vim:problem:unsupported-media-type', accepted: ['application/json'] });
      expect(res.body.detail).toContain('application/json');
      expect(await hostEnabled()).toBe(false);
    });

    test.each(['application/merge-patch+json', 'application/problem+json', 'application/x-www-form-urlencoded', 'application/yaml'])('%s is a 415 too', async (type) => {
      const res = await hostAdmin.patch(`/api/v1/hosts/${hostId}`).set('content-type', type).send('{"enabled":true}');
      expect(res.status).toBe(415);
      expect(await hostEnabled()).toBe(false);
    });

    test.each([
      ['null', 'null'],
      ['an array', '[{"enabled":true}]'],
      ['a number', '42'],
      ['a string', '"enabled"'],
    ])('a body that is %s is a 400 naming the root', async (_what, body) => {
      const res = await hostAdmin.patch(`/api/v1/hosts/${hostId}`).set('content-type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: '' })]);
      expect(await hostEnabled()).toBe(false);
    });

    test('a required body that is missing is a 400 naming the root', async () => {
      const res = await hostAdmin.patch(`/api/v1/hosts/${hostId}`).set('content-type', 'application/json');
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: '', message: expect.stringContaining('JSON object') })]);
      await operator.post('/api/v1/vnf_instances').expect(400);
    });

    test('heal may be sent without a body, but a body of the wrong type is refused instead of falling back to defaults', async () => {
      const heal = `/api/v1/vnf_instances/${MISSING}/heal`;
      // No body: the defaults; the unknown instance is then what answers.
      await operator.post(heal).expect(404);
      const wrongType = await operator.post(heal).set('content-type', 'text/plain').send('{"target":"any-host"}');
      expect(wrongType.status).toBe(415);
      const nullBody = await operator.post(heal).set('content-type', 'application/json').send('null');
      expect(nullBody.status).toBe(400);
      expect(nullBody.body.errors[0].path).toBe('');
      await operator.post(heal).set('content-type', 'application/json').send('{"target":"any-host"}').expect(404);
    });

    test('a descriptor upload in a type it does not take is a 415 naming the accepted types', async () => {
      const res = await operator.post('/api/v1/vnfds').set('content-type', 'application/problem+json').send(JSON.stringify(minimalVnfd('pipeline-415')));
      expect(res.status).toBe(415);
      expect(res.body.detail).toEqual(expect.stringContaining('application/yaml'));
    });
  });

  describe('NUL characters are a 400 naming where they were, never a 500', () => {
    test.each(['provider', 'product'])('GET /vnfds?%s=%00', async (name) => {
      const res = await operator.get(`/api/v1/vnfds?${name}=%00`);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: `/query/${name}` })]);
    });

    test('in a path segment', async () => {
      const res = await operator.get('/api/v1/vnfds/ab%00cd');
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: '/path/id' })]);
    });

    test('in a body field, a key, and a descriptor (JSON escape or YAML escape), listed with the other problems', async () => {
      const field = await operator.post('/api/v1/vnf_instances').set('content-type', 'application/json').send(JSON.stringify({ vnfdId, vnfInstanceName: 'a\u0000b' }));
      expect(field.status).toBe(400);
      expect(field.body.errors).toEqual(expect.arrayContaining([{ path: '/vnfInstanceName', message: expect.stringContaining('NUL') }]));
      const alongside = await operator.post('/api/v1/vnf_instances').set('content-type', 'application/json').send(JSON.stringify({ vnfdId: 'nope', vnfInstanceName: 'a\u0000b' }));
      expect(alongside.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/vnfInstanceName', '/vnfdId']);
      const key = await hostAdmin.post('/api/v1/hosts').set('content-type', 'application/json').send(JSON.stringify({ name: 'nul-key', libvirtUri: 'test:///default', ovsdbRemote: 'tcp:127.0.0.1:6640', physnets: { 'eth\u00000': 'a' } }));
      expect(key.status).toBe(400);
      expect(key.body.errors).toEqual(expect.arrayContaining([{ path: '/physnets/eth\u00000', message: expect.stringContaining('NUL') }]));
      const doc = minimalVnfd('pipeline-nul');
      doc.vnfd.description = 'before\u0000after';
      const json = await operator.post('/api/v1/vnfds').set('content-type', 'application/json').send(JSON.stringify(doc));
      expect(json.status).toBe(400);
      expect(json.body.errors).toEqual([{ path: '/vnfd/description', message: expect.stringContaining('NUL') }]);
      const yaml = await operator.post('/api/v1/vnfds').set('content-type', 'application/yaml').send(JSON.stringify(doc).replace('\\u0000', '\\0'));
      expect(yaml.status).toBe(400);
      expect(yaml.body.errors).toEqual([{ path: '/vnfd/description', message: expect.stringContaining('NUL') }]);
    });
  });

  describe('a fault of the server is a 500 with a generic detail; the details go to the log', () => {
    const FAULT = "Cannot find module '../encodings'\nRequire stack:\n- /srv/vim/node_modules/iconv-lite/lib/index.js";

    function expectGeneric500(res: request.Response): void {
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ type: 'urn:vim:problem:internal', title: 'Internal Server Error', status: 500, requestId: res.headers['x-request-id'] });
      expect(typeof res.body.detail).toBe('string');
      expect(res.text).not.toContain('Cannot find module');
      expect(res.text).not.toContain('node_modules');
    }

    test('the body reader failing to load a module (as when node_modules was replaced under the api)', async () => {
      // The body reader's decoder is where the module went missing; its error reaches the API wrapped as a 400.
      jest.spyOn(iconv, 'getDecoder').mockImplementation(() => {
        throw Object.assign(new Error(FAULT), { code: 'MODULE_NOT_FOUND' });
      });
      const requestId = `pipeline-${randomUUID()}`;
      const res = await operator.post('/api/v1/vnfds').set('x-request-id', requestId).set('content-type', 'application/yaml').send('vnfd: {}\n');
      expectGeneric500(res);
      expect(logLines.join('')).toContain("Cannot find module '../encodings'");
      expect(await auditedStatuses(requestId)).toEqual([500]);
    });

    test('a handler throwing an error of its own', async () => {
      jest.spyOn(VnfdCatalogue.prototype, 'list').mockRejectedValue(new TypeError(`${FAULT} at /srv/vim/dist/apps/api/src/vnfds/vnfd-catalogue.service.js:42`));
      expectGeneric500(await operator.get('/api/v1/vnfds'));
    });
  });
});
