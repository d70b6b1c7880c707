import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TokenStore } from '../../apps/api/src/auth/token-store.service.js';
import { DEFAULT_TENANT_ID, Role } from '#vim/persistence';
import { client, startApi, tokenFor } from '../support/api.js';
import { insertHosts } from '../support/fleet-fixture.js';
import { minimalVnfd } from '../support/vnfd-builder.js';

type Tenant = 'A' | 'B';
type TenantRole = Role.ADMIN | Role.OPERATOR | Role.VIEWER;
type Caller = 'none' | 'garbage' | 'revoked' | 'expired' | 'platform' | `${Tenant}-${TenantRole}`;
type Call = { method: 'get' | 'post' | 'patch' | 'delete'; url: (ctx: Context) => string; body?: (ctx: Context) => unknown };
interface Context {
  vnfdA: string;
  host: string;
  tenantA: string;
  tenantB: string;
  spareTokenA: string;
  auditEventA: string;
}

const ROLES: TenantRole[] = [Role.ADMIN, Role.OPERATOR, Role.VIEWER];
const CALLERS: Caller[] = ['none', 'garbage', 'revoked', 'expired', 'platform', ...ROLES.map((r) => `A-${r}` as Caller), ...ROLES.map((r) => `B-${r}` as Caller)];
const MISSING = '00000000-0000-4000-8000-00000000dead';

/**
 * Each endpoint and the role it needs. `owner`: it names something of that tenant, which any
 * other tenant's caller must not find (`foreign`, 404 unless said otherwise), and which the
 * platform administrator (of the default tenant) finds only where `platformSeesAll`.
 * `grants`: the role of the token it issues, which the caller's own role must reach.
 */
interface Endpoint {
  name: string;
  call: Call;
  needs: Role | 'public';
  ok: number;
  owner?: Tenant | 'default';
  platformSeesAll?: boolean;
  foreign?: number;
  grants?: Role;
}

const ENDPOINTS: Endpoint[] = [
  { name: 'GET /healthz', call: { method: 'get', url: () => '/healthz' }, needs: 'public', ok: 200 },
  { name: 'GET /readyz', call: { method: 'get', url: () => '/readyz' }, needs: 'public', ok: 200 },
  { name: 'GET /api/v1/vnfds', call: { method: 'get', url: () => '/api/v1/vnfds' }, needs: Role.VIEWER, ok: 200 },
  { name: 'GET /api/v1/vnfds/:id', call: { method: 'get', url: (c) => `/api/v1/vnfds/${c.vnfdA}` }, needs: Role.VIEWER, owner: 'A', ok: 200 },
  { name: 'PATCH /api/v1/vnfds/:id', call: { method: 'patch', url: (c) => `/api/v1/vnfds/${c.vnfdA}`, body: () => ({ operationalState: 'ENABLED' }) }, needs: Role.OPERATOR, owner: 'A', ok: 200 },
  { name: 'DELETE /api/v1/vnfds/:id', call: { method: 'delete', url: (c) => `/api/v1/vnfds/${c.vnfdA}` }, needs: Role.OPERATOR, owner: 'A', ok: 204 },
  { name: 'POST /api/v1/vnfds', call: { method: 'post', url: () => '/api/v1/vnfds', body: () => minimalVnfd(`m-${Math.random()}`) }, needs: Role.OPERATOR, ok: 201 },
  { name: 'GET /api/v1/tenants', call: { method: 'get', url: () => '/api/v1/tenants' }, needs: Role.PLATFORM_ADMIN, ok: 200 },
  { name: 'POST /api/v1/tenants', call: { method: 'post', url: () => '/api/v1/tenants', body: () => ({ name: `t-${Date.now()}-${Math.floor(Math.random() * 1e6)}` }) }, needs: Role.PLATFORM_ADMIN, ok: 201 },
  { name: 'GET /api/v1/session', call: { method: 'get', url: () => '/api/v1/session' }, needs: Role.VIEWER, ok: 200 },
  { name: 'GET /api/v1/service_chains', call: { method: 'get', url: () => '/api/v1/service_chains' }, needs: Role.VIEWER, ok: 200 },
  { name: 'GET /api/v1/chain_op_occs', call: { method: 'get', url: () => '/api/v1/chain_op_occs' }, needs: Role.VIEWER, ok: 200 },
  { name: 'GET /api/v1/tokens', call: { method: 'get', url: () => '/api/v1/tokens' }, needs: Role.ADMIN, ok: 200 },
  { name: "GET /api/v1/tokens/:id (A's)", call: { method: 'get', url: (c) => `/api/v1/tokens/${c.spareTokenA}` }, needs: Role.ADMIN, owner: 'A', platformSeesAll: true, ok: 200 },
  { name: 'GET /api/v1/tokens/:id (missing)', call: { method: 'get', url: () => `/api/v1/tokens/${MISSING}` }, needs: Role.ADMIN, ok: 404 },
  {
    name: "POST /api/v1/tokens (A's viewer)",
    call: { method: 'post', url: () => '/api/v1/tokens', body: (c) => ({ tenantId: c.tenantA, name: 'x', role: 'viewer' }) },
    needs: Role.ADMIN,
    owner: 'A',
    platformSeesAll: true,
    foreign: 400,
    ok: 201,
  },
  {
    name: "POST /api/v1/tokens (A's admin)",
    call: { method: 'post', url: () => '/api/v1/tokens', body: (c) => ({ tenantId: c.tenantA, name: 'x', role: 'admin' }) },
    needs: Role.ADMIN,
    owner: 'A',
    platformSeesAll: true,
    foreign: 400,
    ok: 201,
  },
  {
    name: "POST /api/v1/tokens (A's platform-admin)",
    call: { method: 'post', url: () => '/api/v1/tokens', body: (c) => ({ tenantId: c.tenantA, name: 'x', role: 'platform-admin' }) },
    needs: Role.ADMIN,
    owner: 'A',
    platformSeesAll: true,
    foreign: 400,
    grants: Role.PLATFORM_ADMIN,
    ok: 201,
  },
  {
    name: "POST /api/v1/tokens (default tenant's admin)",
    call: { method: 'post', url: () => '/api/v1/tokens', body: () => ({ tenantId: DEFAULT_TENANT_ID, name: 'x', role: 'admin' }) },
    needs: Role.ADMIN,
    owner: 'default',
    platformSeesAll: true,
    foreign: 400,
    ok: 201,
  },
  { name: "DELETE /api/v1/tokens/:id (A's)", call: { method: 'delete', url: (c) => `/api/v1/tokens/${c.spareTokenA}` }, needs: Role.ADMIN, owner: 'A', platformSeesAll: true, ok: 200 },
  { name: 'DELETE /api/v1/tokens/:id (missing)', call: { method: 'delete', url: () => `/api/v1/tokens/${MISSING}` }, needs: Role.ADMIN, ok: 404 },
  { name: 'GET /api/v1/hosts', call: { method: 'get', url: () => '/api/v1/hosts' }, needs: Role.VIEWER, ok: 200 },
  { name: 'GET /api/v1/hosts/:id', call: { method: 'get', url: (c) => `/api/v1/hosts/${c.host}` }, needs: Role.VIEWER, ok: 200 },
  { name: 'POST /api/v1/hosts', call: { method: 'post', url: () => '/api/v1/hosts', body: () => ({ name: `h-${Math.floor(Math.random() * 1e9)}`, libvirtUri: 'test:///default', ovsdbRemote: 'tcp:127.0.0.1:6640' }) }, needs: Role.PLATFORM_ADMIN, ok: 201 },
  { name: 'PATCH /api/v1/hosts/:id', call: { method: 'patch', url: (c) => `/api/v1/hosts/${c.host}`, body: () => ({ enabled: true }) }, needs: Role.PLATFORM_ADMIN, ok: 200 },
  { name: 'POST /api/v1/hosts/:id/refresh', call: { method: 'post', url: (c) => `/api/v1/hosts/${c.host}/refresh` }, needs: Role.PLATFORM_ADMIN, ok: 202 },
  { name: 'DELETE /api/v1/hosts/:id', call: { method: 'delete', url: (c) => `/api/v1/hosts/${c.host}` }, needs: Role.PLATFORM_ADMIN, ok: 204 },
  {
    name: 'POST /api/v1/placement/dry-run',
    call: { method: 'post', url: () => '/api/v1/placement/dry-run', body: () => ({ vcpus: 1, cpuPolicy: 'shared', memoryMb: 64, pageSize: 'any', virtioPorts: 0, sriovPorts: [], vfNumaAffinity: 'preferred' }) },
    needs: Role.OPERATOR,
    ok: 200,
  },
  { name: 'GET /api/v1/audit', call: { method: 'get', url: () => '/api/v1/audit' }, needs: Role.ADMIN, ok: 200 },
  { name: "GET /api/v1/audit/:id (A's)", call: { method: 'get', url: (c) => `/api/v1/audit/${c.auditEventA}` }, needs: Role.ADMIN, owner: 'A', platformSeesAll: true, ok: 200 },
  { name: 'GET /api/v1/audit/:id (missing)', call: { method: 'get', url: () => `/api/v1/audit/${MISSING}` }, needs: Role.ADMIN, ok: 404 },
];

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2, 'platform-admin': 3 };

/** The platform administrator's token belongs to the default tenant, neither A nor B. */
function identity(caller: Caller): { tenant: Tenant | 'default'; role: Role } | null {
  if (caller === 'platform') return { tenant: 'default', role: Role.PLATFORM_ADMIN };
  if (!caller.includes('-')) return null;
  const [tenant, role] = caller.split('-') as [Tenant, Role];
  return { tenant, role };
}

function expected(endpoint: Endpoint, caller: Caller): number {
  if (endpoint.needs === 'public') return endpoint.ok;
  const who = identity(caller);
  if (!who) return 401;
  if (RANK[who.role] < RANK[endpoint.needs]) return 403;
  const seesOwner = who.tenant === endpoint.owner || (endpoint.platformSeesAll && who.role === Role.PLATFORM_ADMIN);
  if (endpoint.owner && !seesOwner) return endpoint.foreign ?? 404;
  if (endpoint.grants && RANK[who.role] < RANK[endpoint.grants]) return 403;
  return endpoint.ok;
}

describe('who may do what: every endpoint times every caller', () => {
  let app: INestApplication;
  const secrets = new Map<Caller, string | undefined>();
  const ctx: Context = { vnfdA: '', host: '', tenantA: '', tenantB: '', spareTokenA: '', auditEventA: '' };

  beforeAll(async () => {
    app = await startApi();
    const tokens = app.get(TokenStore);
    // A host with room, so that a permitted dry-run answers 200.
    await insertHosts(app.get(DataSource), [{ name: `matrix-${process.pid}` }]);
    const platform = await tokenFor(app, Role.PLATFORM_ADMIN);
    secrets.set('platform', platform);
    ctx.tenantA = (await client(app, platform).post('/api/v1/tenants').send({ name: 'tenant-a' }).expect(201)).body.id;
    ctx.tenantB = (await client(app, platform).post('/api/v1/tenants').send({ name: 'tenant-b' }).expect(201)).body.id;
    for (const role of ROLES) {
      secrets.set(`A-${role}`, await tokenFor(app, role, ctx.tenantA));
      secrets.set(`B-${role}`, await tokenFor(app, role, ctx.tenantB));
    }
    secrets.set('none', undefined);
    secrets.set('garbage', 'vim_' + 'x'.repeat(43));
    const revoked = await tokens.issue({ tenantId: DEFAULT_TENANT_ID, name: 'revoked', role: Role.PLATFORM_ADMIN });
    await tokens.revoke(revoked.row.id);
    secrets.set('revoked', revoked.secret);
    const expired = await tokens.issue({ tenantId: DEFAULT_TENANT_ID, name: 'expired', role: Role.PLATFORM_ADMIN, expiresAt: new Date(Date.now() - 1000) });
    secrets.set('expired', expired.secret);
  });

  afterAll(async () => {
    await app?.close();
  });

  // Fresh targets before every call, so that a DELETE that wrongly succeeded cannot hide behind a 404 later.
  async function freshContext(): Promise<void> {
    const db = app.get(DataSource);
    const operatorA = client(app, secrets.get(`A-${Role.OPERATOR}`));
    const created = await operatorA.post('/api/v1/vnfds').set('content-type', 'application/json').send(JSON.stringify(minimalVnfd(`a-${Math.random()}`)));
    ctx.vnfdA = created.body.id;
    ctx.spareTokenA = (await app.get(TokenStore).issue({ tenantId: ctx.tenantA, name: 'spare', role: Role.VIEWER })).row.id;
    const [host] = await db.query(`INSERT INTO hosts (name, "libvirtUri", "ovsdbRemote") VALUES ($1, 'test:///default', 'tcp:127.0.0.1:6640') RETURNING id`, [
      `m-${Math.floor(Math.random() * 1e9)}`,
    ]);
    ctx.host = host.id;
    const [event] = await db.query(`INSERT INTO audit_events ("tenantId", method, path, status) VALUES ($1, 'POST', '/api/v1/vnfds', 201) RETURNING id`, [ctx.tenantA]);
    ctx.auditEventA = event.id;
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

  test('the session says who the caller is: its token, role and tenant', async () => {
    const res = await client(app, secrets.get(`A-${Role.VIEWER}`)).get('/api/v1/session').expect(200);
    expect(res.body).toEqual({ tokenId: expect.any(String), tokenName: `test-${Role.VIEWER}`, role: Role.VIEWER, tenantId: ctx.tenantA, tenantName: 'tenant-a', expiresAt: null });
  });

  test('nothing of tenant A is readable by tenant B', async () => {
    await freshContext();
    const viewerB = client(app, secrets.get(`B-${Role.VIEWER}`));
    const list = await viewerB.get('/api/v1/vnfds').expect(200);
    expect(list.body.items.map((v: { id: string }) => v.id)).not.toContain(ctx.vnfdA);
    const adminB = client(app, secrets.get(`B-${Role.ADMIN}`));
    await adminB.get(`/api/v1/vnfds/${ctx.vnfdA}`).expect(404);
  });

  test("an admin lists its own tenant's tokens and audit trail; the platform administrator every tenant's", async () => {
    await freshContext();
    const adminB = client(app, secrets.get(`B-${Role.ADMIN}`));
    const tokensOfB = (await adminB.get('/api/v1/tokens').expect(200)).body as { tenantId: string }[];
    expect(tokensOfB.length).toBeGreaterThan(0);
    expect(new Set(tokensOfB.map((t) => t.tenantId))).toEqual(new Set([ctx.tenantB]));
    const trailOfB = (await adminB.get('/api/v1/audit?limit=500').expect(200)).body;
    expect(trailOfB.items.every((e: { tenantId: string }) => e.tenantId === ctx.tenantB)).toBe(true);
    const askedForA = (await adminB.get(`/api/v1/audit?tenantId=${ctx.tenantA}`).expect(200)).body;
    expect(askedForA).toMatchObject({ items: [], total: 0 });

    const platform = client(app, secrets.get('platform'));
    const allTokens = (await platform.get('/api/v1/tokens').expect(200)).body as { tenantId: string }[];
    // Other suites share the database and leave tenants of their own: every one of ours must be there.
    expect([...new Set(allTokens.map((t) => t.tenantId))]).toEqual(expect.arrayContaining([DEFAULT_TENANT_ID, ctx.tenantA, ctx.tenantB]));
    const trailOfA = (await platform.get(`/api/v1/audit?tenantId=${ctx.tenantA}&limit=500`).expect(200)).body;
    expect(trailOfA.items.map((e: { id: string }) => e.id)).toContain(ctx.auditEventA);
  });

  test("another tenant's token answers exactly as a missing one", async () => {
    await freshContext();
    const adminB = client(app, secrets.get(`B-${Role.ADMIN}`));
    const foreign = await adminB.delete(`/api/v1/tokens/${ctx.spareTokenA}`).expect(404);
    const missing = await adminB.delete(`/api/v1/tokens/${MISSING}`).expect(404);
    expect(foreign.body.detail.replace(ctx.spareTokenA, 'ID')).toBe(missing.body.detail.replace(MISSING, 'ID'));
    expect((await app.get(TokenStore).find(ctx.spareTokenA))?.revokedAt).toBeNull();
  });

  test("an admin of B cannot make itself a token of A and read A's descriptors with it", async () => {
    await freshContext();
    const adminB = client(app, secrets.get(`B-${Role.ADMIN}`));
    for (const tenantId of [ctx.tenantA, DEFAULT_TENANT_ID]) {
      const res = await adminB.post('/api/v1/tokens').send({ tenantId, name: 'escalate', role: 'admin' }).expect(400);
      expect(res.body.errors).toEqual([{ path: '/tenantId', message: `tenant '${tenantId}' does not exist` }]);
    }
    const higher = await adminB.post('/api/v1/tokens').send({ tenantId: ctx.tenantB, name: 'escalate', role: 'platform-admin' }).expect(403);
    expect(higher.body.errors).toEqual([{ path: '/role', message: 'must be one of admin, operator, viewer' }]);
    const own = await adminB.post('/api/v1/tokens').send({ tenantId: ctx.tenantB, name: 'own', role: 'admin' }).expect(201);
    await client(app, own.body.secret).get(`/api/v1/vnfds/${ctx.vnfdA}`).expect(404);
  });

  test('every mutating call is audited with who, tenant and outcome', async () => {
    const db = app.get(DataSource);
    // The audit row is written when the answer has been sent; give it a moment.
    await new Promise((r) => setTimeout(r, 200));
    const refused = await db.query(`SELECT * FROM audit_events WHERE method = 'POST' AND path = '/api/v1/tenants' AND status = 403 LIMIT 1`);
    expect(refused[0]).toMatchObject({ role: expect.stringMatching(/^(admin|operator|viewer)$/), tenantId: expect.any(String) });
    const anonymous = await db.query(`SELECT * FROM audit_events WHERE status = 401 LIMIT 1`);
    expect(anonymous[0]).toMatchObject({ tokenId: null, tenantId: null });
    const platform = client(app, secrets.get('platform'));
    const trail = await platform.get('/api/v1/audit?limit=5').expect(200);
    expect(trail.body.total).toBeGreaterThan(100);
    expect(trail.body.items[0]).toHaveProperty('status');
  });
});
