import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonStreamSplitter } from '../json-stream.js';
import { OvsdbError, transactionFailure } from '../ovsdb-client.js';
import { OvsdbSwitchDriver } from './ovsdb-switch-driver.js';
import { OvsError } from './switch-driver.js';

/** A stand-in ovsdb-server on a Unix socket that answers every transact with `answer(operations)`. */
class ScriptedServer {
  readonly sockets: Socket[] = [];
  answer: (operations: Record<string, unknown>[]) => unknown[] = (ops) => ops.map(() => ({ rows: [] }));
  private constructor(private readonly server: Server) {}

  static async start(path: string): Promise<ScriptedServer> {
    const server = createServer();
    const scripted = new ScriptedServer(server);
    server.on('connection', (socket) => scripted.serve(socket));
    await new Promise<void>((resolve) => server.listen(path, resolve));
    return scripted;
  }

  stop(): Promise<void> {
    this.sockets.forEach((s) => s.destroy());
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: Socket): void {
    this.sockets.push(socket);
    socket.setEncoding('utf8');
    const splitter = new JsonStreamSplitter();
    socket.on('data', (chunk: string) => {
      for (const text of splitter.push(chunk)) {
        const { id, params } = JSON.parse(text) as { id: number; params: [string, ...Record<string, unknown>[]] };
        socket.write(JSON.stringify({ id, result: this.answer(params.slice(1) as Record<string, unknown>[]), error: null }));
      }
    });
  }
}

let folder: string;
let server: ScriptedServer;
let driver: OvsdbSwitchDriver;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'ovsdb-driver-'));
  server = await ScriptedServer.start(join(folder, 'db.sock'));
  driver = new OvsdbSwitchDriver(`unix:${join(folder, 'db.sock')}`);
});

afterEach(async () => {
  await driver.close();
  await server.stop();
  await rm(folder, { recursive: true, force: true });
});

describe('OvsdbSwitchDriver', () => {
  test('a refused operation becomes an OvsError naming that operation', async () => {
    server.answer = () => [{ error: 'timed out' }, null];
    const ensure = driver.removePorts('br-int', ['vhu0']);
    await expect(ensure).rejects.toBeInstanceOf(OvsError);
    await expect(ensure).rejects.toMatchObject({ error: 'timed out', operation: { op: 'select', table: 'Bridge' } });
    await expect(ensure).rejects.toThrow('OVSDB transaction failed: timed out at select Bridge where [["name","==","br-int"]]');
  });

  test('a failed commit has no operation, only the error and details', async () => {
    server.answer = (ops) => [...ops.map(() => ({})), { error: 'constraint violation', details: 'duplicate name' }];
    await expect(driver.interfaceStatus('vhu0')).rejects.toMatchObject({ error: 'constraint violation', details: 'duplicate name', operation: undefined });
  });

  test('reconnects after the connection dropped', async () => {
    await expect(driver.interfaceStatus('vhu0')).resolves.toBeUndefined();
    server.sockets[0].destroy();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(driver.interfaceStatus('vhu0')).resolves.toBeUndefined();
    expect(server.sockets).toHaveLength(2);
  });

  test('concurrent first calls share one connection', async () => {
    await Promise.all([driver.interfaceStatus('vhu0'), driver.findPorts({ k: 'v' }), driver.interfaceStatus('vhu1')]);
    expect(server.sockets).toHaveLength(1);
  });

  test('bad input is refused before connecting; a bad remote at construction', async () => {
    await expect(driver.findPorts({})).rejects.toThrow(/at least one entry/);
    await expect(driver.removePorts('br-int', [])).resolves.toBeUndefined();
    expect(server.sockets).toHaveLength(0);
    expect(() => new OvsdbSwitchDriver('ssl:1.2.3.4:6640')).toThrow(OvsdbError);
  });
});

describe('transactionFailure', () => {
  test('the first error and its index; none when every operation succeeded', () => {
    expect(transactionFailure([{ rows: [] }, { error: 'timed out' }, null])).toEqual({ index: 1, error: 'timed out' });
    expect(transactionFailure([{ count: 1 }, { error: 'referential integrity violation', details: 'x' }])).toEqual({
      index: 1,
      error: 'referential integrity violation',
      details: 'x',
    });
    expect(transactionFailure([{ rows: [] }, null])).toBeUndefined();
  });
});
