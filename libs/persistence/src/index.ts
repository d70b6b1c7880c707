export * from './entities/index.js';
export { createDataSource, dataSourceOptions } from './data-source.js';
export { pendingSchemaChanges } from './schema-diff.js';
export { DEFAULT_TENANT_ID } from './default-tenant.js';
export { CrossTenantWriteError, TenantScopedRepository } from './tenant-scoped-repository.js';
export { PG, pgError } from './pg-errors.js';
export { preparedQuery } from './prepared-query.js';
