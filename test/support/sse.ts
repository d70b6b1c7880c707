import type { INestApplication } from '@nestjs/common';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A raw client of the LCM event stream (supertest would wait for the end of a stream that never ends). */
export async function openEventStream(app: INestApplication, secret: string, query = '') {
  const { port } = app.getHttpServer().address() as AddressInfo;
  let text = '';
  const req = http.get({ host: '127.0.0.1', port, path: `/api/v1/vnf_lcm_op_occs/events${query}`, headers: { authorization: `Bearer ${secret}` } });
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => req.once('response', resolve).once('error', reject));
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (text += chunk));
  /** Every event of this name received so far, parsed. */
  const events = (name: string) =>
    [...text.matchAll(/^event: (\S+)\ndata: (.*)$/gm)].filter((m) => m[1] === name).map((m) => JSON.parse(m[2]!) as Record<string, unknown>);
  const until = async (predicate: () => boolean, ms = 30_000): Promise<void> => {
    const deadline = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`the event stream did not show it within ${ms} ms; it carried:\n${text}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { res, status: res.statusCode, text: () => text, events, until, close: () => req.destroy() };
}
