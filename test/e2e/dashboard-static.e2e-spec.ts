import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startApi } from '../support/api.js';

// The api serves the dashboard's built files at `/` from DASHBOARD_DIR: public, index.html at `/`
// only (the app routes in the hash), hashed assets cached for a year, index.html revalidated and
// under a content security policy, the API untouched.

const INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-3f9a1c.js"></script></head><body><div id="root"></div></body></html>\n';
const SCRIPT = 'console.log("dashboard");\n';

async function withDashboardDir<T>(dir: string, run: (app: INestApplication) => Promise<T>): Promise<T> {
  const saved = process.env.DASHBOARD_DIR;
  process.env.DASHBOARD_DIR = dir;
  let app: INestApplication | undefined;
  try {
    app = await startApi();
    return await run(app);
  } finally {
    await app?.close();
    if (saved === undefined) delete process.env.DASHBOARD_DIR;
    else process.env.DASHBOARD_DIR = saved;
  }
}

describe('the dashboard at /', () => {
  let root: string;
  let built: string;
  let app: INestApplication;
  let restore: () => void;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'vim-dashboard-'));
    // A folder under a dot-folder, as the test build's is (.local/test-build/dashboard).
    built = join(root, '.build', 'dashboard');
    mkdirSync(join(built, 'assets'), { recursive: true });
    writeFileSync(join(built, 'index.html'), INDEX);
    writeFileSync(join(built, 'assets', 'index-3f9a1c.js'), SCRIPT);
    writeFileSync(join(built, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(built, '.env'), 'SECRET=1');
    const saved = process.env.DASHBOARD_DIR;
    process.env.DASHBOARD_DIR = built;
    restore = () => (saved === undefined ? delete process.env.DASHBOARD_DIR : (process.env.DASHBOARD_DIR = saved));
    app = await startApi();
  });

  afterAll(async () => {
    await app?.close();
    restore?.();
    rmSync(root, { recursive: true, force: true });
  });

  const get = (path: string) => request(app.getHttpServer()).get(path);

  test('/ is index.html, without a token, revalidated on every load', async () => {
    const res = await get('/').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toBe(INDEX);
    expect((await get('/index.html').expect(200)).headers['cache-control']).toBe('no-cache');
    await request(app.getHttpServer()).head('/').expect(200);
  });

  test('the page where the token is typed runs only its own scripts and cannot be framed', async () => {
    for (const path of ['/', '/index.html']) {
      const res = await get(path).expect(200);
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self';.*frame-ancestors 'none'/);
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });

  test('the app routes in the hash: any other path that is not a file is a 404 problem, not the page', async () => {
    for (const path of ['/hosts', '/chains/7d0f6a9e-0000-4000-8000-000000000001', '/apis', '/readyzz', '/robots.txt']) {
      const res = await get(path).expect(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ type: 'urn:vim:problem:not-found', status: 404, detail: expect.stringMatching(/no dashboard file/) });
    }
  });

  test('hashed assets are cached for a year; a missing one is a 404 problem, not index.html', async () => {
    const res = await get('/assets/index-3f9a1c.js').expect(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.text).toBe(SCRIPT);
    const missing = await get('/assets/index-000000.js').expect(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(missing.body).toMatchObject({ type: 'urn:vim:problem:not-found', status: 404, instance: '/assets/index-000000.js' });
    const other = await get('/favicon.svg').expect(200);
    expect(other.headers['cache-control']).toBe('no-cache');
  });

  test('nothing outside the folder, and no dotfiles', async () => {
    for (const path of ['/.env', '/../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json']) {
      const res = await get(path);
      expect(res.text).not.toContain('SECRET');
      expect(res.text).not.toContain('"vim-lite"');
    }
  });

  test('the API, the probes and the OpenAPI pages are not the dashboard', async () => {
    const unknown = await get('/api/v1/nothing-here').expect(404);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    await get('/api/v1/hosts').expect(401);
    await get('/API/v1/hosts').expect(401);
    await get('/api').expect(404);
    expect((await get('/healthz').expect(200)).body).toEqual({ status: 'alive' });
    expect((await get('/healthz/').expect(200)).body).toEqual({ status: 'alive' });
    expect((await get('/readyz')).headers['content-type']).toMatch(/json/);
    expect((await get('/api/docs-json').expect(200)).body.openapi).toMatch(/^3\./);
  });

  test('only GET and HEAD: other methods go on to the API, which has no such route', async () => {
    for (const path of ['/', '/hosts']) {
      const res = await request(app.getHttpServer()).post(path).set('content-type', 'application/json').send('{}');
      expect([401, 404]).toContain(res.status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    await request(app.getHttpServer()).delete('/').expect(404);
  });
});

describe('the dashboard not built', () => {
  test('/ answers a 404 problem saying how to build it, and a build made later is served at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vim-dashboard-empty-'));
    try {
      await withDashboardDir(dir, async (app) => {
        for (const path of ['/', '/index.html']) {
          const res = await request(app.getHttpServer()).get(path).expect(404);
          expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
          expect(res.body).toMatchObject({ type: 'urn:vim:problem:not-found', status: 404, instance: path });
          expect(res.body.detail).toContain('npm run build:dashboard');
          expect(res.body.detail).not.toContain(dir);
        }
        await request(app.getHttpServer()).get('/healthz').expect(200);
        writeFileSync(join(dir, 'index.html'), INDEX);
        expect((await request(app.getHttpServer()).get('/').expect(200)).text).toBe(INDEX);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a folder that does not exist is the same as an empty one', async () => {
    await withDashboardDir(join(tmpdir(), 'vim-dashboard-none', String(process.pid)), async (app) => {
      const res = await request(app.getHttpServer()).get('/').expect(404);
      expect(res.body.detail).toContain('npm run build:dashboard');
    });
  });
});
