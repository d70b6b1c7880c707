import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEFAULT_TENANT_ID, Role } from '#vim/persistence';
import { client, type Client, startApi, tokenFor } from '../support/api.js';
import { minimalVnfd } from '../support/vnfd-builder.js';

describe('hardening', () => {
  let app: INestApplication;
  let admin: Client;
  const logLines: string[] = [];
  const bootstrap = `vim_${'B'.repeat(43)}`;
  const saved = process.env.BOOTSTRAP_ADMIN_TOKEN;

  beforeAll(async () => {
    process.env.BOOTSTRAP_ADMIN_TOKEN = bootstrap;
    app = await startApi({ write: (line: string) => void logLines.push(line) });
    admin = client(app, await tokenFor(app, Role.PLATFORM_ADMIN));
  });

  afterAll(async () => {
    process.env.BOOTSTRAP_ADMIN_TOKEN = saved;
    await app?.close();
  });

  test('small bodies everywhere but descriptor uploads: 413 past API_MAX_BODY_BYTES', async () => {
    const res = await admin.post('/api/v1/tenants').set('content-type', 'application/json').send(JSON.stringify({ name: 'x'.repeat(70 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ type: 'urn:vim:problem:payload-too-large', limit: 64 * 1024 });
    const doc = minimalVnfd('big');
    doc.vnfd.description = 'd'.repeat(200 * 1024);
    await admin.post('/api/v1/vnfds').set('content-type', 'application/json').send(JSON.stringify(doc)).expect(201);
  });

  test('reserved keys are refused by name, not silently dropped', async () => {
    const db = app.get(DataSource);
    const before = Number((await db.query('SELECT count(*) AS n FROM tenants'))[0].n);
    const res = await admin
      .post('/api/v1/tenants')
      .set('content-type', 'application/json')
      .send('{"name":"proto-tenant","__proto__":{"admin":true},"nested":[{"constructor":1}]}')
      .expect(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['/__proto__', '/nested/0/constructor']);
    expect(Number((await db.query('SELECT count(*) AS n FROM tenants'))[0].n)).toBe(before);
  });

  test('the bootstrap token from configuration is a platform administrator of the default tenant', async () => {
    const res = await client(app, bootstrap).get('/api/v1/tokens').expect(200);
    expect(res.body).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'bootstrap', role: 'platform-admin', tenantId: DEFAULT_TENANT_ID })]));
    expect(JSON.stringify(res.body)).not.toContain(bootstrap);
  });

  test('secrets never reach the logs', async () => {
    const issued = await admin
      .post('/api/v1/tokens')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ tenantId: DEFAULT_TENANT_ID, name: 'logged', role: 'viewer' }))
      .expect(201);
    const secret = issued.body.secret as string;
    expect(secret).toMatch(/^vim_/);
    await client(app, secret).get('/api/v1/vnfds').expect(200);
    await client(app, secret).get('/api/v1/vnfds?secret=' + encodeURIComponent('not-a-token')).expect(400);
    const logs = logLines.join('');
    expect(logs).toContain('request completed');
    expect(logs).not.toContain(secret);
    expect(logs).not.toContain(bootstrap);
    expect(logs).toContain('[redacted]');
  });
});
