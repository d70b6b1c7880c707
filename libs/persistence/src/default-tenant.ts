/**
 * The tenant that owns everything until authentication exists; created by a migration.
 * Its id is fixed so that the seed migration and the code agree without a lookup.
 */
export const DEFAULT_TENANT_ID = '00000000-0000-4000-8000-000000000001';
