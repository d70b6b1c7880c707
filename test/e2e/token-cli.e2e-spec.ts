import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { issueTokenDirectly, parseTokenRequest } from '../../apps/api/src/cli/create-token.js';
import { DEFAULT_TENANT_ID } from '#vim/persistence';
import { client, startApi } from '../support/api.js';

describe('token:create, for the first platform administrator', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startApi();
  });

  afterAll(async () => {
    await app?.close();
  });

  test('issues a working platform administrator token of the default tenant', async () => {
    const secret = await issueTokenDirectly(app.get(DataSource), parseTokenRequest(['--role', 'platform-admin', '--name', 'first-admin']));
    await client(app, secret).get('/api/v1/tenants').expect(200);
    const tokens = await client(app, secret).get('/api/v1/tokens').expect(200);
    expect(tokens.body).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'first-admin', role: 'platform-admin', tenantId: DEFAULT_TENANT_ID })]));
  });

  test("an admin token is its tenant's admin, not the platform's", async () => {
    const secret = await issueTokenDirectly(app.get(DataSource), parseTokenRequest(['--role', 'admin', '--name', 'tenant-admin']));
    await client(app, secret).get('/api/v1/tokens').expect(200);
    await client(app, secret).get('/api/v1/tenants').expect(403);
  });

  test('says what is wrong with the command line', () => {
    expect(() => parseTokenRequest(['--role', 'root', '--name', 'x'])).toThrow(/--role must be one of platform-admin, admin, operator, viewer/);
    expect(() => parseTokenRequest(['--role', 'admin', '--name', 'Bad Name'])).toThrow(/--name must be/);
    expect(() => parseTokenRequest(['--role', 'admin', '--name', 'x', '--expires', '2001-01-01T00:00:00Z'])).toThrow(/future/);
    expect(() => parseTokenRequest(['--bogus'])).toThrow();
  });

  test('refuses an unknown tenant', async () => {
    await expect(issueTokenDirectly(app.get(DataSource), parseTokenRequest(['--role', 'viewer', '--name', 'x', '--tenant', 'nope']))).rejects.toThrow(
      /no tenant named 'nope'/,
    );
  });
});
