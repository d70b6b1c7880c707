import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { existsSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { INTERNAL_DETAIL } from '../common/problem.filter.js';
import { PROBLEM } from '../common/problem.js';

/** Paths that are the API's, never the dashboard's: they go on to Nest (and its 404 problem). */
const API_PATH = /^\/(api|healthz|readyz)(\/|$)/i;
/** Vite writes content-hashed file names under assets/: a changed file gets a new name. */
const ASSETS = /^\/assets\//;
const HASHED_ASSET_CACHE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/** The app routes in the URL's hash: only these paths are the page itself. */
const PAGE_PATHS = new Set(['/', '/index.html']);
/**
 * The page where a token is typed: scripts and styles only from here (Vite's build has no inline
 * script), and no framing by another site (clickjacking).
 */
const PAGE_HEADERS = {
  'cache-control': REVALIDATE,
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

export const DASHBOARD_NOT_BUILT =
  'the dashboard is not built: its folder (DASHBOARD_DIR) has no index.html; build it with `npm run build:dashboard` ' +
  '(deploy/local/up.sh does), or point DASHBOARD_DIR at a build';

/**
 * Serves the dashboard's built files (DASHBOARD_DIR) at `/`, without a token (the app signs in
 * with one itself; the files hold no data). GET and HEAD only, and never a path under /api,
 * /healthz or /readyz. `/` is index.html (the app routes in the URL's hash, so no other path is
 * a page); any other path is a file of the build or a 404 problem. Files under assets/ are hashed
 * and cached for a year; index.html is revalidated every time, so a new build is picked up at
 * once, and carries a content security policy. The folder is read per request: a build made while
 * the api runs is served without a restart.
 */
export function dashboardHandler(dir: string, logger?: Logger): RequestHandler {
  const files = express.static(dir, {
    index: false,
    redirect: false,
    dotfiles: 'ignore',
    setHeaders: (res, _path) => {
      const url = (res.req as Request).path;
      if (PAGE_PATHS.has(url)) for (const [name, value] of Object.entries(PAGE_HEADERS)) res.setHeader(name, value);
      else res.setHeader('cache-control', ASSETS.test(url) ? HASHED_ASSET_CACHE : REVALIDATE);
    },
  });
  const index = join(dir, 'index.html');

  return (req: Request, res: Response, next: NextFunction): void => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PATH.test(req.path)) return next();
    res.setHeader('x-content-type-options', 'nosniff');
    files(req, res, (error?: unknown) => {
      // serve-static's own refusals (a path it cannot decode: 400) are problems like any other.
      if (error) return failed(req, res, error, logger);
      if (!PAGE_PATHS.has(req.path)) return problem(req, res, 404, `no dashboard file ${req.path} (the dashboard's pages are at /#/...)`);
      if (!existsSync(index)) return problem(req, res, 404, DASHBOARD_NOT_BUILT);
      // dotfiles allowed: the folder itself may sit under one (.local/test-build/dashboard).
      res.sendFile(index, { headers: PAGE_HEADERS, dotfiles: 'allow' }, (sendError?: Error) => {
        if (sendError && !res.headersSent) failed(req, res, sendError, logger);
      });
    });
  };
}

function failed(req: Request & { id?: unknown }, res: Response, error: unknown, logger: Logger | undefined): void {
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) return problem(req, res, status, status === 404 ? 'no such file' : 'the path cannot be read');
  logger?.error({ err: error, requestId: req.id }, 'dashboard file failed');
  problem(req, res, 500, INTERNAL_DETAIL);
}

function problem(req: Request & { id?: unknown }, res: Response, status: number, detail: string): void {
  const type = status === 404 ? PROBLEM.notFound : status >= 500 ? PROBLEM.internal : PROBLEM.http;
  const title = status === 404 ? 'Not found' : (STATUS_CODES[status] ?? 'Error');
  const body = { type, title, status, detail, instance: req.originalUrl, requestId: req.id };
  res.status(status).setHeader('cache-control', REVALIDATE);
  res.type('application/problem+json').send(JSON.stringify(body));
}
