import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Role } from '#vim/persistence';
import { client, type Client, startApi, tokenFor } from '../support/api.js';
import { fixtureVnfds, sharedVnfds } from '../support/descriptors.js';

const shared = sharedVnfds();

describe('public SOL006 descriptors in shared/descriptors', () => {
  let app: INestApplication;
  let operator: Client;

  beforeAll(async () => {
    app = await startApi();
    operator = client(app, await tokenFor(app, Role.OPERATOR));
  });

  afterAll(async () => {
    await app?.close();
  });

  test('the folder holds descriptors, valid and invalid', () => {
    expect(shared.filter((d) => !d.invalid).length).toBeGreaterThanOrEqual(4);
    expect(shared.filter((d) => d.invalid).length).toBeGreaterThanOrEqual(1);
  });

  test.each(shared.filter((d) => !d.invalid).map((d) => [d.name, d] as const))('%s is onboarded', async (_name, file) => {
    const res = await operator.post('/api/v1/vnfds').set('content-type', 'application/yaml').send(file.text);
    expect(res.status).toBe(201);
    const stored = await operator.get(res.headers.location).expect(200);
    expect(stored.body.document).toEqual({ format: 'yaml', text: file.text });
  });

  test.each(shared.filter((d) => d.invalid).map((d) => [d.name, d] as const))('%s is refused, naming the broken reference', async (_name, file) => {
    const res = await operator.post('/api/v1/vnfds').set('content-type', 'application/yaml').send(file.text);
    expect(res.status).toBe(400);
    // The file's comment quotes the bad reference ('testVdu'); our message must name it too.
    const quoted = /'([^']+)'/.exec(file.invalid as string)?.[1] as string;
    expect(res.body.errors.map((e: { message: string }) => e.message).join('\n')).toContain(quoted);
  });

  test.each(fixtureVnfds().map((d) => [d.name, d] as const))('own EPA/SR-IOV fixture %s is onboarded', async (_name, file) => {
    const res = await operator.post('/api/v1/vnfds').set('content-type', 'application/yaml').send(file.text);
    expect(res.status).toBe(201);
  });
});
