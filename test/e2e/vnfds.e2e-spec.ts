import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { stringify } from 'yaml';
import { client, type Client, startApi, tokenFor } from '../support/api.js';
import { Role } from '#vim/persistence';
import { minimalVnfd } from '../support/vnfd-builder.js';

type Vnfd = ReturnType<typeof minimalVnfd>;

describe('VNF descriptor API', () => {
  let app: INestApplication;
  let db: DataSource;
  let operator: Client;
  const http = () => operator;
  const postJson = (body: unknown) => http().post('/api/v1/vnfds').set('content-type', 'application/json').send(JSON.stringify(body));
  const postYaml = (text: string) => http().post('/api/v1/vnfds').set('content-type', 'application/yaml').send(text);
  // A tenant of this suite's own: counting and cleaning up its rows cannot disturb, or be disturbed by, other suites.
  let tenant: string;
  const storedCount = async () => Number((await db.query('SELECT count(*) AS n FROM vnf_descriptors WHERE "tenantId" = $1', [tenant]))[0].n);
  const errorsOf = (res: request.Response) => res.body.errors as { path: string; message: string }[];

  beforeAll(async () => {
    app = await startApi();
    db = app.get(DataSource);
    [{ id: tenant }] = await db.query(`INSERT INTO tenants (name) VALUES ('vnfds-' || gen_random_uuid()) RETURNING id`);
    operator = client(app, await tokenFor(app, Role.OPERATOR, tenant));
  });

  beforeEach(async () => {
    await db.query('DELETE FROM vnf_instances WHERE "tenantId" = $1', [tenant]);
    await db.query('DELETE FROM vnf_descriptors WHERE "tenantId" = $1', [tenant]);
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('onboarding', () => {
    test('JSON: 201, Location, and the document kept byte for byte next to the model', async () => {
      const text = JSON.stringify(minimalVnfd(), null, 3);
      const res = await http().post('/api/v1/vnfds').set('content-type', 'application/json').send(text).expect(201);
      expect(res.headers.location).toBe(`/api/v1/vnfds/${res.body.id}`);
      expect(res.body).toMatchObject({ vnfdId: 'fw', version: '1.0', provider: 'Acme', productName: 'acme-fw', operationalState: 'ENABLED' });
      const got = await http().get(res.headers.location).expect(200);
      expect(got.body.document).toEqual({ format: 'json', text });
      expect(got.body.usageState).toBe('NOT_IN_USE');
      const vdu = got.body.model.vdus[0];
      expect(vdu).toMatchObject({ id: 'fw-vdu', vcpus: 2, pinningPolicy: 'static', memoryMb: 2048 });
      expect(vdu.interfaces.map((i: { type: string }) => i.type)).toEqual(['VIRTIO', 'SR-IOV']);
    });

    test('YAML with comments and numbers written as strings', async () => {
      const doc = minimalVnfd('yaml-fw');
      const compute = (doc.vnfd['virtual-compute-desc'] as Record<string, Record<string, unknown>>[])[0];
      compute['virtual-cpu']['num-virtual-cpu'] = '4';
      compute['virtual-memory'].size = '1.5';
      const text = `# onboarded from a file\n${stringify(doc)}`;
      const res = await postYaml(text).expect(201);
      const got = await http().get(res.headers.location).expect(200);
      expect(got.body.document.text).toBe(text);
      expect(got.body.model.vdus[0]).toMatchObject({ vcpus: 4, memoryMb: 1536 });
    });

    test('malformed JSON: the parse error with line and column, nothing stored', async () => {
      const res = await http().post('/api/v1/vnfds').set('content-type', 'application/json').send('{\n  "vnfd": {\n    "id": "x",,\n  }\n}').expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ type: 'urn:vim:problem:syntax', status: 400, line: 3, column: 15 });
      expect(res.body.detail).toMatch(/line 3, column 15/);
      expect(await storedCount()).toBe(0);
    });

    test('malformed YAML: the parse error with line and column', async () => {
      const res = await postYaml('vnfd:\n  id: x\n  vdu: [a, b\n  version: 1\n').expect(400);
      expect(res.body.type).toBe('urn:vim:problem:syntax');
      expect(res.body.line).toBeGreaterThanOrEqual(3);
      expect(res.body.column).toBeGreaterThanOrEqual(1);
    });

    test('every structural problem is listed with a JSON pointer', async () => {
      const doc: Vnfd = minimalVnfd();
      const vdu = (doc.vnfd.vdu as Record<string, unknown>[])[0];
      vdu['virtual-compute-dsc'] = 'typo';
      const compute = (doc.vnfd['virtual-compute-desc'] as Record<string, Record<string, unknown>>[])[0];
      compute['virtual-cpu'] = { 'num-virtual-cpu': 'many', pinning: { policy: 'sometimes' } };
      compute['virtual-memory']['mempage-size'] = 'HUGE';
      const res = await postJson(doc).expect(400);
      const paths = errorsOf(res).map((e) => e.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          '/vnfd/vdu/0/virtual-compute-dsc',
          '/vnfd/virtual-compute-desc/0/virtual-cpu/num-virtual-cpu',
          '/vnfd/virtual-compute-desc/0/virtual-cpu/pinning/policy',
          '/vnfd/virtual-compute-desc/0/virtual-memory/mempage-size',
        ]),
      );
      expect(await storedCount()).toBe(0);
    });

    test('every broken reference is listed with a JSON pointer and names the missing target', async () => {
      const doc: Vnfd = minimalVnfd();
      (doc.vnfd.vdu as Record<string, unknown>[])[0]['sw-image-desc'] = 'no-such-image';
      (doc.vnfd['ext-cpd'] as Record<string, Record<string, unknown>>[])[1]['int-cpd'].cpd = 'no-such-cpd';
      const df = (doc.vnfd.df as Record<string, Record<string, unknown>[]>[])[0];
      df['vdu-profile'][0]['min-number-of-instances'] = 5;
      const res = await postJson(doc).expect(400);
      const errors = errorsOf(res);
      expect(errors.find((e) => e.path === '/vnfd/vdu/0/sw-image-desc')?.message).toContain('no-such-image');
      expect(errors.find((e) => e.path.startsWith('/vnfd/ext-cpd/1/int-cpd'))?.message).toContain('no-such-cpd');
      expect(errors.some((e) => e.path.startsWith('/vnfd/df/0/vdu-profile/0'))).toBe(true);
      expect(await storedCount()).toBe(0);
    });

    test('affinity-or-anti-affinity-groups and local rules: the model keeps them; an unknown group, another scope or a bad or missing type is a 400 naming each path', async () => {
      const doc: Vnfd = minimalVnfd();
      const df = (doc.vnfd.df as Record<string, unknown>[])[0]!;
      df['affinity-or-anti-affinity-group'] = [{ id: 'together', type: 'affinity', scope: 'nfvi-node' }];
      (df['vdu-profile'] as Record<string, unknown>[])[0]!['affinity-or-anti-affinity-group'] = [{ id: 'together' }];
      const created = await postJson(doc).expect(201);
      const stored = await http().get(created.headers.location).expect(200);
      expect(stored.body.model.deploymentFlavours[0]).toMatchObject({
        affinityGroups: [{ id: 'together', type: 'affinity', scope: 'nfvi-node' }],
        vduProfiles: [{ affinityGroupIds: ['together'] }],
      });

      doc.vnfd.version = '2.0';
      (df['vdu-profile'] as Record<string, unknown>[])[0]!['affinity-or-anti-affinity-group'] = [{ id: 'apart' }];
      const unknown = await postJson(doc).expect(400);
      expect(errorsOf(unknown)).toEqual([
        {
          path: '/vnfd/df/0/vdu-profile/0/affinity-or-anti-affinity-group/0/id',
          message: expect.stringContaining("references affinity-or-anti-affinity-group 'apart', which does not exist (affinity-or-anti-affinity-groups: together)"),
        },
      ]);

      df['affinity-or-anti-affinity-group'] = [{ id: 'apart', type: 'anti-affinity', scope: 'zone' }, { id: 'odd', type: 'repel', scope: 'nfvi-node' }];
      const refused = await postJson(doc).expect(400);
      expect(errorsOf(refused).map((e) => e.path)).toEqual(
        expect.arrayContaining(['/vnfd/df/0/affinity-or-anti-affinity-group/1/type']),
      );
      df['affinity-or-anti-affinity-group'] = [{ id: 'apart', type: 'anti-affinity', scope: 'zone' }];
      const zone = await postJson(doc).expect(400);
      expect(errorsOf(zone)).toEqual([{ path: '/vnfd/df/0/affinity-or-anti-affinity-group/0/scope', message: expect.stringContaining("has scope 'zone'; only nfvi-node is supported") }]);
      df['affinity-or-anti-affinity-group'] = [{ id: 'apart', scope: 'nfvi-node' }];
      (df['vdu-profile'] as Record<string, unknown>[])[0]!['local-affinity-or-anti-affinity-rule'] = [{ 'affinity-type': 'anti-affinity', 'affinity-scope': 'zone' }];
      const local = await postJson(doc).expect(400);
      expect(errorsOf(local).map((e) => e.path)).toEqual(['/vnfd/df/0/affinity-or-anti-affinity-group/0/type']);
      df['affinity-or-anti-affinity-group'] = [{ id: 'apart', type: 'anti-affinity' }];
      const localScope = await postJson(doc).expect(400);
      expect(errorsOf(localScope).map((e) => e.path)).toEqual(['/vnfd/df/0/vdu-profile/0/local-affinity-or-anti-affinity-rule/0/affinity-scope']);
      expect(await storedCount()).toBe(1);
    });

    test('a body that is not a VNFD at all', async () => {
      const res = await postJson([1, 2, 3]).expect(400);
      expect(errorsOf(res).length).toBeGreaterThan(0);
      const missing = await postJson({ vnfd: {} }).expect(400);
      expect(errorsOf(missing).map((e) => e.path)).toEqual(expect.arrayContaining(['/vnfd/id', '/vnfd/version']));
    });

    test('a document over the size limit: 413', async () => {
      const doc = minimalVnfd();
      doc.vnfd.description = 'x'.repeat(1024 * 1024 + 1);
      const res = await postJson(doc).expect(413);
      expect(res.body.type).toBe('urn:vim:problem:payload-too-large');
      expect(await storedCount()).toBe(0);
    });

    test('the same (vnfd id, version) twice: 409; another version is fine', async () => {
      const first = await postJson(minimalVnfd('dup', '1.0')).expect(201);
      const again = await postJson(minimalVnfd('dup', '1.0')).expect(409);
      expect(again.body.existing).toBe(first.headers.location);
      await postJson(minimalVnfd('dup', '1.1')).expect(201);
      expect(await storedCount()).toBe(2);
    });

    test('an unsupported Content-Type: 415', async () => {
      const res = await http().post('/api/v1/vnfds').set('content-type', 'text/plain').send('vnfd: {}').expect(415);
      expect(res.body.detail).toMatch(/application\/yaml/);
    });
  });

  describe('catalogue', () => {
    test('lists with pagination and filters by provider and product', async () => {
      for (let i = 0; i < 5; i++) await postJson(minimalVnfd(`fw-${i}`)).expect(201);
      const other = minimalVnfd('router');
      Object.assign(other.vnfd, { provider: 'Other', 'product-name': 'other-router' });
      await postJson(other).expect(201);

      const page = await http().get('/api/v1/vnfds?limit=2&offset=1').expect(200);
      expect(page.body).toMatchObject({ total: 6, limit: 2, offset: 1 });
      expect(page.body.items.map((v: { vnfdId: string }) => v.vnfdId)).toEqual(['fw-1', 'fw-2']);
      const byProvider = await http().get('/api/v1/vnfds?provider=Other').expect(200);
      expect(byProvider.body.items.map((v: { vnfdId: string }) => v.vnfdId)).toEqual(['router']);
      const byProduct = await http().get('/api/v1/vnfds?product=acme-fw').expect(200);
      expect(byProduct.body.total).toBe(5);
    });

    test('bad query parameters are named', async () => {
      const res = await http().get('/api/v1/vnfds?limit=0&offset=-1&colour=red').expect(400);
      expect(errorsOf(res).map((e) => e.path)).toEqual(expect.arrayContaining(['/limit', '/offset', '/colour']));
    });

    test('unknown or malformed ids: 404 problem', async () => {
      const res = await http().get('/api/v1/vnfds/6f1e9c1a-0000-4000-8000-000000000000').expect(404);
      expect(res.body.type).toBe('urn:vim:problem:not-found');
      await http().get('/api/v1/vnfds/not-a-uuid').expect(404);
    });

    test('PATCH disables and enables', async () => {
      const created = await postJson(minimalVnfd()).expect(201);
      const disabled = await http().patch(created.headers.location).send({ operationalState: 'DISABLED' }).expect(200);
      expect(disabled.body.operationalState).toBe('DISABLED');
      expect((await http().get(created.headers.location)).body.operationalState).toBe('DISABLED');
      await http().patch(created.headers.location).send({ operationalState: 'ENABLED' }).expect(200);
    });

    test('PATCH with a bad body names each problem', async () => {
      const created = await postJson(minimalVnfd()).expect(201);
      const res = await http().patch(created.headers.location).send({ operationalState: 'ON', vnfdId: 'x' }).expect(400);
      expect(errorsOf(res).map((e) => e.path).sort()).toEqual(['/operationalState', '/vnfdId']);
      const broken = await http().patch(created.headers.location).set('content-type', 'application/json').send('{"operationalState":').expect(400);
      expect(broken.body.type).toBe('urn:vim:problem:syntax');
    });

    test('DELETE is refused while an instance uses the descriptor, then succeeds', async () => {
      const created = await postJson(minimalVnfd()).expect(201);
      await db.query(`INSERT INTO vnf_instances ("tenantId", "vnfDescriptorId") VALUES ($1, $2)`, [tenant, created.body.id]);
      const refused = await http().delete(created.headers.location).expect(409);
      expect(refused.body.detail).toMatch(/used by 1 VNF instance/);
      expect((await http().get(created.headers.location)).body.usageState).toBe('IN_USE');

      await db.query('DELETE FROM vnf_instances WHERE "tenantId" = $1', [tenant]);
      await http().delete(created.headers.location).expect(204);
      await http().get(created.headers.location).expect(404);
    });
  });
});
