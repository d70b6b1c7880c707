import { describe, expect, test } from '@jest/globals';
import { SseParser, staleQueries, toStreamEvent } from './sse.js';

describe('SseParser', () => {
  test('frames across chunks, comments skipped', () => {
    const parser = new SseParser();
    expect(parser.push(': connected\n\nevent: lcm\ndata: {"opId":')).toEqual([]);
    expect(parser.push('"1"}\n\n: heartbeat\n\nevent: chain\ndata: {"chainId":"c"}\n\n')).toEqual([
      { event: 'lcm', data: '{"opId":"1"}' },
      { event: 'chain', data: '{"chainId":"c"}' },
    ]);
  });
  test('CRLF and CR line ends, a CR split from its LF', () => {
    const parser = new SseParser();
    expect(parser.push('event: vm-state\r\ndata: {}\r')).toEqual([]);
    expect(parser.push('\n\r\n')).toEqual([{ event: 'vm-state', data: '{}' }]);
    expect(parser.push('data: x\r\r\n')).toEqual([{ event: 'message', data: 'x' }]);
  });
  test('multi-line data, no space after the colon, id', () => {
    const parser = new SseParser();
    expect(parser.push('id: 7\ndata:a\ndata: b\n\n')).toEqual([{ event: 'message', data: 'a\nb', id: '7' }]);
  });
  test('an event name without data dispatches nothing and is forgotten', () => {
    const parser = new SseParser();
    expect(parser.push('event: lcm\n\ndata: y\n\n')).toEqual([{ event: 'message', data: 'y' }]);
  });
});

describe('toStreamEvent', () => {
  test('typed by the frame name', () => {
    expect(toStreamEvent({ event: 'lcm', data: '{"opId":"o","vnfInstanceId":"i"}' })).toMatchObject({ kind: 'lcm', opId: 'o' });
    expect(toStreamEvent({ event: 'vm-state', data: '{"kind":"vm-state","powerState":"PAUSED"}' })).toMatchObject({ kind: 'vm-state', powerState: 'PAUSED' });
    expect(toStreamEvent({ event: 'other', data: '{}' })).toBeUndefined();
    expect(toStreamEvent({ event: 'lcm', data: 'not json' })).toBeUndefined();
    expect(toStreamEvent({ event: 'lcm', data: '[1]' })).toBeUndefined();
  });
  test('stale queries per kind', () => {
    const lcm = toStreamEvent({ event: 'lcm', data: '{"opId":"o","vnfInstanceId":"i"}' })!;
    expect(staleQueries(lcm)).toContainEqual(['instance', 'i']);
    const chain = toStreamEvent({ event: 'chain', data: '{"chainId":"c"}' })!;
    expect(staleQueries(chain)).toContainEqual(['chain', 'c']);
    const vm = toStreamEvent({ event: 'vm-state', data: '{"vnfInstanceId":"i"}' })!;
    expect(staleQueries(vm)).toContainEqual(['hosts']);
  });
});

test('a host going DOWN makes the hosts stale at once (the alert banner reads them)', () => {
  const event = toStreamEvent({ event: 'host-state', data: '{"kind":"host-state","hostId":"h1","hostName":"node2","state":"DOWN","previousState":"UP","at":"x"}' })!;
  expect(event).toMatchObject({ kind: 'host-state', hostName: 'node2', state: 'DOWN' });
  expect(staleQueries(event)).toEqual([['hosts'], ['host', 'h1']]);
});
