import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { PlatformAdminRole1796700000000 } from '../../migrations/1796700000000-PlatformAdminRole.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { createDataSource, pendingSchemaChanges } from '#vim/persistence';
import { databaseUrl, recreateDatabase } from '../support/database.js';

const DATABASE = 'vim_e2e_schema';

describe('migrations', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    await recreateDatabase(DATABASE);
    dataSource = await createDataSource(databaseUrl(DATABASE)).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  test('from an empty database produce exactly the entities schema', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => new m().name));
    expect(await pendingSchemaChanges(dataSource)).toEqual({ up: [], down: [] });
  });

  test('revert to an empty schema and apply again without drift', async () => {
    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    const tables = await dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`,
    );
    expect(tables).toEqual([]);
    await dataSource.runMigrations({ transaction: 'each' });
    expect((await pendingSchemaChanges(dataSource)).up).toEqual([]);
  });

  test('the default tenant exists, so descriptors have an owner before auth exists', async () => {
    const rows = await dataSource.query(`SELECT name FROM tenants`);
    expect(rows).toEqual([{ name: 'default' }]);
  });

  test("splitting the admin role: the default tenant's admins become platform administrators, other tenants' stay their tenant's", async () => {
    const laterOnes = MIGRATIONS.length - MIGRATIONS.indexOf(PlatformAdminRole1796700000000);
    for (let i = 0; i < laterOnes; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    const [other] = await dataSource.query(`INSERT INTO tenants (name) VALUES ('split-roles') RETURNING id`);
    const token = `INSERT INTO api_tokens ("tenantId", name, role, "secretHash") VALUES ($1, $2, $3, $4)`;
    const tokens: [string, string, string][] = [
      ['00000000-0000-4000-8000-000000000001', 'bootstrap', 'admin'],
      ['00000000-0000-4000-8000-000000000001', 'ops', 'operator'],
      [other.id, 'their-admin', 'admin'],
      [other.id, 'their-viewer', 'viewer'],
    ];
    for (const [i, [tenantId, name, role]] of tokens.entries()) await dataSource.query(token, [tenantId, name, role, String(i).padStart(64, '0')]);
    const roles = async () => Object.fromEntries((await dataSource.query(`SELECT name, role FROM api_tokens`)).map((r: { name: string; role: string }) => [r.name, r.role]));

    await dataSource.runMigrations({ transaction: 'each' });
    expect(await roles()).toEqual({ bootstrap: 'platform-admin', ops: 'operator', 'their-admin': 'admin', 'their-viewer': 'viewer' });
    for (let i = 0; i < laterOnes; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await roles()).toEqual({ bootstrap: 'admin', ops: 'operator', 'their-admin': 'admin', 'their-viewer': 'viewer' });
    await dataSource.runMigrations({ transaction: 'each' });
    expect((await pendingSchemaChanges(dataSource)).up).toEqual([]);
  });

  test('the database refuses to claim the same VF twice', async () => {
    const [host] = await dataSource.query(
      `INSERT INTO hosts (name, "libvirtUri", "ovsdbRemote") VALUES ('h1', 'test:///default', 'unix:/x') RETURNING id`,
    );
    const [vnfd] = await dataSource.query(
      `INSERT INTO vnf_descriptors ("tenantId", "vnfdId", version, "productName", model, original, "originalFormat")
       VALUES ('00000000-0000-4000-8000-000000000001', 'v', '1', 'p', '{}', '', 'json') RETURNING id`,
    );
    const [instance] = await dataSource.query(
      `INSERT INTO vnf_instances ("tenantId", "vnfDescriptorId") VALUES ('00000000-0000-4000-8000-000000000001', $1) RETURNING id`,
      [vnfd.id],
    );
    const vdus = await dataSource.query(
      `INSERT INTO vdu_instances ("vnfInstanceId", "vduId") VALUES ($1, 'a'), ($1, 'b') RETURNING id`,
      [instance.id],
    );
    const claim = `INSERT INTO resource_claims ("hostId", "vduInstanceId", kind, "resourceKey") VALUES ($1, $2, 'VF', '0000:3b:02.1')`;
    await dataSource.query(claim, [host.id, vdus[0].id]);
    await expect(dataSource.query(claim, [host.id, vdus[1].id])).rejects.toThrow(/uq_resource_claims_exclusive/);
    // Hugepages are counted, not named: two VMs may take pages from the same pool.
    const pages = `INSERT INTO resource_claims ("hostId", "vduInstanceId", kind, "resourceKey", amount) VALUES ($1, $2, 'HUGEPAGES', '0/2048', 512)`;
    await dataSource.query(pages, [host.id, vdus[0].id]);
    await expect(dataSource.query(pages, [host.id, vdus[1].id])).resolves.toBeDefined();
  });
});
