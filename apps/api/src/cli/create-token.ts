import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { hashTokenSecret, newTokenSecret } from '#vim/auth';
import { ApiTokenEntity, Role, TenantEntity } from '#vim/persistence';

const USAGE = `usage: npm run -s token:create -- --role ${Object.values(Role).join('|')} --name NAME [--tenant default] [--expires ISO-8601]`;

export interface TokenRequest {
  tenant: string;
  role: Role;
  name: string;
  expiresAt: Date | null;
}

/** Reads the command line; a mistake is an Error whose message says what to write instead. */
export function parseTokenRequest(argv: string[]): TokenRequest {
  const { values } = parseArgs({
    args: argv,
    options: { role: { type: 'string' }, name: { type: 'string' }, tenant: { type: 'string', default: 'default' }, expires: { type: 'string' } },
    strict: true,
  });
  const role = Object.values(Role).find((r) => r === values.role);
  if (!role) throw new Error(`--role must be one of ${Object.values(Role).join(', ')}\n${USAGE}`);
  if (!values.name || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(values.name)) throw new Error(`--name must be 1-63 of a-z, 0-9 and -\n${USAGE}`);
  const expiresAt = values.expires ? new Date(values.expires) : null;
  if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt <= new Date())) throw new Error(`--expires must be a future ISO-8601 time\n${USAGE}`);
  return { tenant: values.tenant as string, role, name: values.name, expiresAt };
}

/**
 * Issues a token straight into the database: how the first platform administrator
 * (`--role platform-admin`) gets in on a machine where nobody holds a token yet. Returns the
 * secret, which exists nowhere else afterwards.
 */
export async function issueTokenDirectly(db: DataSource, request: TokenRequest): Promise<string> {
  const tenant = await db.getRepository(TenantEntity).findOneBy({ name: request.tenant });
  if (!tenant) throw new Error(`no tenant named '${request.tenant}'`);
  const secret = newTokenSecret();
  await db.getRepository(ApiTokenEntity).insert({
    tenantId: tenant.id,
    name: request.name,
    role: request.role,
    expiresAt: request.expiresAt,
    secretHash: hashTokenSecret(secret),
  });
  return secret;
}
