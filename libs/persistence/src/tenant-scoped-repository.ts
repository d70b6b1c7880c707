import type { DeepPartial, FindManyOptions, FindOptionsWhere, ObjectLiteral, Repository } from 'typeorm';

type TenantOwned = ObjectLiteral & { tenantId: string };
type ScopedFindOptions<T> = Omit<FindManyOptions<T>, 'where'> & { where?: FindOptionsWhere<T> };

export class CrossTenantWriteError extends Error {}

/**
 * The only way services reach tenant-owned tables: every read, count and delete carries the
 * tenant condition and every write is stamped with (and checked against) the tenant, so a
 * forgotten `where` cannot leak or touch another tenant's rows.
 */
export class TenantScopedRepository<T extends TenantOwned> {
  constructor(
    private readonly repository: Repository<T>,
    readonly tenantId: string,
  ) {}

  findOneBy(where: FindOptionsWhere<T>): Promise<T | null> {
    return this.repository.findOneBy(this.scope(where));
  }

  find(options: ScopedFindOptions<T> = {}): Promise<T[]> {
    return this.repository.find({ ...options, where: this.scope(options.where) });
  }

  findAndCount(options: ScopedFindOptions<T> = {}): Promise<[T[], number]> {
    return this.repository.findAndCount({ ...options, where: this.scope(options.where) });
  }

  countBy(where: FindOptionsWhere<T> = {}): Promise<number> {
    return this.repository.countBy(this.scope(where));
  }

  existsBy(where: FindOptionsWhere<T>): Promise<boolean> {
    return this.repository.existsBy(this.scope(where));
  }

  create(values: DeepPartial<T>): T {
    return this.repository.create({ ...values, tenantId: this.tenantId } as DeepPartial<T>);
  }

  async save(entity: T): Promise<T> {
    if (entity.tenantId !== this.tenantId) {
      throw new CrossTenantWriteError(`refusing to save a row of tenant ${entity.tenantId} in the scope of tenant ${this.tenantId}`);
    }
    return this.repository.save(entity);
  }

  async delete(where: FindOptionsWhere<T>): Promise<number> {
    const result = await this.repository.delete(this.scope(where));
    return result.affected ?? 0;
  }

  private scope(where: FindOptionsWhere<T> = {}): FindOptionsWhere<T> {
    return { ...where, tenantId: this.tenantId } as FindOptionsWhere<T>;
  }
}
