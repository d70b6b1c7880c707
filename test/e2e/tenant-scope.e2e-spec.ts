import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { DataSource, Repository } from 'typeorm';
import {
  createDataSource,
  CrossTenantWriteError,
  DocumentFormat,
  TenantEntity,
  TenantScopedRepository,
  VnfDescriptorEntity,
} from '#vim/persistence';

describe('TenantScopedRepository against Postgres', () => {
  let db: DataSource;
  let raw: Repository<VnfDescriptorEntity>;
  let a: TenantScopedRepository<VnfDescriptorEntity>;
  let b: TenantScopedRepository<VnfDescriptorEntity>;

  const descriptor = (scope: TenantScopedRepository<VnfDescriptorEntity>, vnfdId: string) =>
    scope.create({ vnfdId, version: '1', productName: 'p', model: {}, original: '{}', originalFormat: DocumentFormat.JSON });

  beforeAll(async () => {
    db = await createDataSource(process.env.DATABASE_URL as string).initialize();
    const tenants = db.getRepository(TenantEntity);
    const [ta, tb] = await tenants.save([tenants.create({ name: `scope-a-${Date.now()}` }), tenants.create({ name: `scope-b-${Date.now()}` })]);
    raw = db.getRepository(VnfDescriptorEntity);
    a = new TenantScopedRepository(raw, ta.id);
    b = new TenantScopedRepository(raw, tb.id);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  test('rows are stamped with the scope tenant, whatever the caller passed', async () => {
    const row = await a.save(a.create({ ...descriptor(a, 'stamped'), tenantId: b.tenantId }));
    expect(row.tenantId).toBe(a.tenantId);
  });

  test('another tenant cannot read, count, find or delete them, even by id', async () => {
    const row = await a.save(descriptor(a, 'private'));
    expect(await b.findOneBy({ id: row.id })).toBeNull();
    expect(await b.existsBy({ id: row.id })).toBe(false);
    expect(await b.countBy({ vnfdId: 'private' })).toBe(0);
    expect((await b.find()).map((r) => r.id)).not.toContain(row.id);
    expect(await b.delete({ id: row.id })).toBe(0);
    expect(await a.findOneBy({ id: row.id })).not.toBeNull();
    expect(await a.delete({ id: row.id })).toBe(1);
  });

  test('saving a row of another tenant through a scope is refused', async () => {
    const row = await a.save(descriptor(a, 'moved'));
    row.description = 'changed through the wrong scope';
    await expect(b.save(row)).rejects.toBeInstanceOf(CrossTenantWriteError);
    expect((await raw.findOneByOrFail({ id: row.id })).description).toBeNull();
  });
});
