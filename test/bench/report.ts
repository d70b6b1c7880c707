import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '#vim/persistence';

export const BENCH_POSTGRES = process.env.BENCH_POSTGRES_URL ?? 'postgres://vim:vim@127.0.0.1:5432';

/** A new, migrated database of that name (an old one is dropped). */
export async function recreateBenchDatabase(name: string): Promise<DataSource> {
  const admin = new pg.Client({ connectionString: `${BENCH_POSTGRES}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const db = await createDataSource(`${BENCH_POSTGRES}/${name}`).initialize();
  await db.runMigrations({ transaction: 'each' });
  return db;
}

/** Replaces the section under `heading` in docs/benchmarks.md (or appends it); the rest of the file is kept. */
export function writeBenchmarkSection(heading: string, body: string): void {
  mkdirSync('docs', { recursive: true });
  const path = 'docs/benchmarks.md';
  const section = `${heading}\n\n${body.trim()}\n\n`;
  let doc = '';
  try {
    doc = readFileSync(path, 'utf8');
  } catch {
    doc = '# Benchmarks\n\n';
  }
  const start = doc.indexOf(heading);
  const end = start < 0 ? -1 : doc.indexOf('\n## ', start + heading.length);
  doc = start < 0 ? `${doc.trimEnd()}\n\n${section}` : `${doc.slice(0, start)}${section}${end < 0 ? '' : doc.slice(end + 1)}`;
  writeFileSync(path, doc);
}
