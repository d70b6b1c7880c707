import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TokenStore } from '../../apps/api/src/auth/token-store.service.js';
import { DEFAULT_TENANT_ID, Role } from '../../libs/persistence/src/index.js';
import { client, startApi, tokenFor } from '../support/api.js';
import { insertHosts } from '../support/fleet-fixture.js';
import { minimalVnfd } from '../support/vnfd-builder.js';

type Caller = 'none' | 'garbage' | 'revoked' | 'expired' | `${'A' | 'B'}-${Role}`;
type Call = { method: 'get' | 'post' | 'patch' | 'delete'; url: (ctx: Context) => string; body?: (ctx: Context) => unknown };
interface Context {
  vnfdA: string;
  host: string;
  tenantB: string;
  spareToken: string;
}

const ROLES = [Role.ADMIN, Role.OPERATOR, Role.VIEWER];
const CALLERS: Caller[] = ['none', 'garbage', 'revoked', 'expired', ...ROLES.map((r) => `A-${r}` as Caller), ...ROLES.map((r) => `B-${r}` as Caller)];

/** Each endpoint, the role it needs, and whether it reads tenant A's descriptor (B must get 404). */
const ENDPOINTS: { name: string; call: Call; needs: Role | 'public'; ownedByA?: boolean; ok: number }[] = [
  { name: 'GET /healthz', call: { method: 'get', url: () => '/healthz' }, needs: 'public', ok: 200 },
  { name: 'GET /readyz', call: { method: 'get', url: () => '/readyz' }, needs: 'public', ok: 200 },
  { name: 'GET /api/v1/vnfds', call: { method: 'get', url: () => '/api/v1/vnfds' }, needs: Role.VIEWER, ok: 200 },
  { name: 'GET /api/v1/vnfds/:id', call: { method: 'get', url: (c) => `/api/v1/vnfds/${c.vnfdA}` }, needs: Role.VIEWER, ownedByA: true, ok: 200 },
  { name: 'PATCH /api/v1/vnfds/:id', call: { method: 'patch', url: (c) => `/api/v1/vnfds/${c.vnfdA}`, body: () => ({ operationalState: 'ENABLED' }) }, needs: Role.OPERATOR, ownedByA: true, ok: 200 },
  { name: 'DELETE /api/v1/vnfds/:id', call: { method: 'delete', url: (c) => `/api/v1/vnfds/${c.vnfdA}` }, needs: Role.OPERATOR, ownedByA: true, ok: 204 },
  { name: 'POST /api/v1/vnfds', call: { method: 'post', url: () => '/api/v1/vnfds', body: () => minimalVnfd(`m-${Math.random()}`) }, needs: Role.OPERATOR, ok: 201 },
  { name: 'GET /api/v1/tenants', call: { method: 'get', url: () => '/api/v1/tenants' }, needs: Role.ADMIN, ok: 200 },
  { name: 'POST /api/v1/tenants', call: { method: 'post', url: () => '/api/v1/tenants', body: () => ({ name: `t-${Date.now()}-${Math.floor(Math.random() * 1e6)}` }) }, needs: Role.ADMIN, ok: 201 },
  { name: 'GET /api/v1/tokens', call: { method: 'get', url: () => '/api/v1/tokens' }, needs: Role.ADMIN, ok: 200 },
  { name: 'POST /api/v1/tokens', call: { method: 'post', url: () => '/api/v1/tokens', body: (c) => ({ tenantId: c.tenantB, name: 'x', role: 'viewer' }) }, needs: Role.ADMIN, ok: 201 },
  { name: 'DELETE /api/v1/tokens/:id', call: { method: 'delete', url: (c) => `/api/v1/tokens/${c.spareToken}` }, needs: Role.ADMIN, ok: 200 },
  { name: 'GET /api/v1/hosts', call: { method: 'get', url: () => '/api/v1/hosts' }, needs: Role.VIEWER, ok: 200 },
  { name: 'GET /api/v1/hosts/:id', call: { method: 'get', url: (c) => `/api/v1/hosts/${c.host}` }, needs: Role.VIEWER, ok: 200 },
  { name: 'POST /api/v1/hosts', call: { method: 'post', url: () => '/api/v1/hosts', body: () => ({ name: `h-${Math.floor(Math.random() * 1e9)}`, libvirtUri: 'test:///default', ovsdbRemote: 'tcp:127.0.0.1:6640' }) }, needs: Role.ADMIN, ok: 201 },
  { name: 'PATCH /api/v1/hosts/:id', call: { method: 'patch', url: (c) => `/api/v1/hosts/${c.host}`, body: () => ({ enabled: true }) }, needs: Role.ADMIN, ok: 200 },
  { name: 'POST /api/v1/hosts/:id/refresh', call: { method: 'post', url: (c) => `/api/v1/hosts/${c.host}/refresh` }, needs: Role.ADMIN, ok: 202 },
  { name: 'DELETE /api/v1/hosts/:id', call: { method: 'delete', url: (c) => `/api/v1/hosts/${c.host}` }, needs: Role.ADMIN, ok: 204 },
  {
    name: 'POST /api/v1/placement/dry-run',
    call: { method: 'post', url: () => '/api/v1/placement/dry-run', body: () => ({ vcpus: 1, cpuPolicy: 'shared', memoryMb: 64, pageSize: 'any', virtioPorts: 0, sriovPorts: [], vfNumaAffinity: 'preferred' }) },
    needs: Role.OPERATOR,
    ok: 200,
  },
  { name: 'GET /api/v1/audit', call: { method: 'get', url: () => '/api/v1/audit' }, needs: Role.ADMIN, ok: 200 },
];

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

function expected(endpoint: (typeof ENDPOINTS)[number], caller: Caller): number {
  if (endpoint.needs === 'public') return endpoint.ok;
  if (!caller.includes('-')) return 401;
  const [tenant, role] = caller.split('-') as ['A' | 'B', Role];
  if (RANK[role] < RANK[endpoint.needs]) return 403;
  if (endpoint.ownedByA && tenant === 'B') return 404;
  return endpoint.ok;
}

describe('who may do what: every endpoint times every caller', () => {
  let app: INestApplication;
  const secrets = new Map<Caller, string | undefined>();
  const ctx: Context = { vnfdA: '', host: '', tenantB: '', spareToken: '' };

  beforeAll(async () => {
    app = await startApi();
    const tokens = app.get(TokenStore);
    // A host with room, so that a permitted dry-run answers 200.
    await insertHosts(app.get(DataSource), [{ name: `matrix-${process.pid}` }]);
    const admin = await tokenFor(app, Role.ADMIN);
    const tenantB = await client(app, admin).post('/api/v1/tenants').send({ name: 'tenant-b' }).expect(201);
    ctx.tenantB = tenantB.body.id;
    for (const role of ROLES) {
      secrets.set(`A-${role}`, await tokenFor(app, role, DEFAULT_TENANT_ID));
      secrets.set(`B-${role}`, await tokenFor(app, role, ctx.tenantB));
    }
    secrets.set('none', undefined);
    secrets.set('garbage', 'vim_' + 'x'.repeat(43));
    const revoked = await tokens.issue({ tenantId: DEFAULT_TENANT_ID, name: 'revoked', role: Role.ADMIN });
    await tokens.revoke(revoked.row.id);
    secrets.set('revoked', revoked.secret);
    const expired = await tokens.issue({ tenantId: DEFAULT_TENANT_ID, name: 'expired', role: Role.ADMIN, expiresAt: new Date(Date.now() - 1000) });
    secrets.set('expired', expired.secret);
  });

  afterAll(async () => {
    await app?.close();
  });

  // Fresh targets before every call, so that a DELETE that wrongly succeeded cannot hide behind a 404 later.
  async function freshContext(): Promise<void> {
    const operatorA = client(app, secrets.get(`A-${Role.OPERATOR}`));
    const created = await operatorA.post('/api/v1/vnfds').set('content-type', 'application/json').send(JSON.stringify(minimalVnfd(`a-${Math.random()}`)));
    ctx.vnfdA = created.body.id;
    ctx.spareToken = (await app.get(TokenStore).issue({ tenantId: ctx.tenantB, name: 'spare', role: Role.VIEWER })).row.id;
    const [host] = await app
      .get(DataSource)
      .query(`INSERT INTO hosts (name, "libvirtUri", "ovsdbRemote") VALUES ($1, 'test:///default', 'tcp:127.0.0.1:6640') RETURNING id`, [`m-${Math.floor(Math.random() * 1e9)}`]);
    ctx.host = host.id;
  }

  const cases = ENDPOINTS.flatMap((endpoint) => CALLERS.map((caller) => [endpoint.name, caller, expected(endpoint, caller), endpoint] as const));

  test.each(cases)('%s as %s -> %i', async (_name, caller, status, endpoint) => {
    await freshContext();
    const http = client(app, secrets.get(caller));
    let call = http[endpoint.call.method](endpoint.call.url(ctx));
    if (endpoint.call.body) call = call.set('content-type', 'application/json').send(JSON.stringify(endpoint.call.body(ctx)));
    const res = await call;
    expect(res.status).toBe(status);
    if (status >= 400) expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  test('nothing of tenant A is readable by tenant B', async () => {
    await freshContext();
    const viewerB = client(app, secrets.get(`B-${Role.VIEWER}`));
    const list = await viewerB.get('/api/v1/vnfds').expect(200);
    expect(list.body.items.map((v: { id: string }) => v.id)).not.toContain(ctx.vnfdA);
    const adminB = client(app, secrets.get(`B-${Role.ADMIN}`));
    await adminB.get(`/api/v1/vnfds/${ctx.vnfdA}`).expect(404);
  });

  test('every mutating call is audited with who, tenant and outcome', async () => {
    const db = app.get(DataSource);
    // The audit row is written when the answer has been sent; give it a moment.
    await new Promise((r) => setTimeout(r, 200));
    const refused = await db.query(`SELECT * FROM audit_events WHERE method = 'POST' AND path = '/api/v1/tenants' AND status = 403 LIMIT 1`);
    expect(refused[0]).toMatchObject({ role: expect.stringMatching(/operator|viewer/), tenantId: expect.any(String) });
    const anonymous = await db.query(`SELECT * FROM audit_events WHERE status = 401 LIMIT 1`);
    expect(anonymous[0]).toMatchObject({ tokenId: null, tenantId: null });
    const admin = client(app, secrets.get(`A-${Role.ADMIN}`));
    const trail = await admin.get('/api/v1/audit?limit=5').expect(200);
    expect(trail.body.total).toBeGreaterThan(100);
    expect(trail.body.items[0]).toHaveProperty('status');
  });
});
