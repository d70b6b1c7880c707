import { describe, expect, test } from '@jest/globals';
import { InvalidSpecError } from '#vim/naming';
import {
  chainCookieMatch, chainOfCookie, deleteChainBundle, deleteChainGenerationsBundle, dumpChainFlows, dumpChainFlowStats, generationCookie, generationCookieMatch, generationFlowLines,
  installChainBundle,
} from './chain-bundle.js';

const CHAIN = 0x2an;
const GROUP = 'group_id=268435712,type=select,selection_method=hash,fields(ip_src,ip_dst,nw_proto,tp_src,tp_dst),bucket=output:3,bucket=output:5';
const FLOWS = ['table=0,priority=40100,udp,in_port=1,tp_dst=5201,actions=group:268435712', 'cookie=0x2a0001,table=0,priority=40100,in_port=4,actions=output:2'];

function problems(f: () => unknown): { path: string; message: string }[] {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSpecError);
    return [...(error as InvalidSpecError).problems];
  }
  throw new Error('accepted');
}

describe('chain cookies', () => {
  test('(chainCookie << 16) | generation; the chain range and one generation', () => {
    expect(generationCookie(CHAIN, 1)).toBe(0x2a0001n);
    expect(generationCookieMatch(CHAIN, 0xffff)).toBe('cookie=0x2affff/-1');
    expect(chainCookieMatch(CHAIN)).toBe('cookie=0x2a0000/0xffffffffffff0000');
    expect(chainCookieMatch((1n << 48n) - 1n)).toBe('cookie=0xffffffffffff0000/0xffffffffffff0000');
    expect(chainOfCookie(0x2a0007n)).toBe(CHAIN);
  });

  test('out of range', () => {
    expect(() => generationCookie(0n, 1)).toThrow(/outside 1\.\.2\^48-1/);
    expect(() => generationCookie(1n << 48n, 1)).toThrow(InvalidSpecError);
    expect(() => generationCookie(CHAIN, 0x10000)).toThrow(/generation/);
    expect(() => generationCookie(CHAIN, 1.5)).toThrow(/generation/);
  });
});

describe('installChainBundle', () => {
  test('first generation: its groups, then its flows, each flow with the generation cookie; nothing deleted', () => {
    expect(installChainBundle('br-int', CHAIN, { generation: 1, flows: FLOWS, groups: [GROUP] })).toEqual({
      file: 'ovs-ofctl',
      args: ['-O', 'OpenFlow15', 'bundle', 'br-int', '-'],
      stdin: [
        `group add ${GROUP}`,
        'flow add cookie=0x2a0001,table=0,priority=40100,udp,in_port=1,tp_dst=5201,actions=group:268435712',
        'flow add cookie=0x2a0001,table=0,priority=40100,in_port=4,actions=output:2',
        '',
      ].join('\n'),
    });
  });

  test('make-before-break: new groups, new flows, then the old generation\'s flows by exact cookie, then its groups', () => {
    const next = { generation: 2, flows: ['priority=40100,udp,in_port=1,tp_dst=5201,actions=group:536871168'], groups: ['group_id=536871168,type=select,bucket=output:5'] };
    const invocation = installChainBundle('br-int', CHAIN, next, { generation: 1, groupIds: [268435712, 268435713] }, { protocol: 'OpenFlow14' });
    expect(invocation.args).toEqual(['-O', 'OpenFlow14', 'bundle', 'br-int', '-']);
    expect(invocation.stdin!.split('\n')).toEqual([
      'group add group_id=536871168,type=select,bucket=output:5',
      'flow add cookie=0x2a0002,priority=40100,udp,in_port=1,tp_dst=5201,actions=group:536871168',
      'flow delete cookie=0x2a0001/-1',
      'group delete group_id=268435712',
      'group delete group_id=268435713',
      '',
    ]);
    // Without groups, only flows.
    expect(installChainBundle('br-int', CHAIN, { generation: 0, flows: ['in_port=1,actions=output:2'] }, { generation: 0xffff, groupIds: [] }).stdin).toBe(
      'flow add cookie=0x2a0000,in_port=1,actions=output:2\nflow delete cookie=0x2affff/-1\n',
    );
  });

  test('other generations found on the bridge are deleted in the same bundle, never the new one', () => {
    const next = { generation: 3, flows: ['in_port=1,actions=output:2'] };
    expect(installChainBundle('br-int', CHAIN, next, { generation: 1, groupIds: [], otherGenerations: [2, 1] }).stdin).toBe(
      'flow add cookie=0x2a0003,in_port=1,actions=output:2\nflow delete cookie=0x2a0001/-1\nflow delete cookie=0x2a0002/-1\n',
    );
    expect(() => installChainBundle('br-int', CHAIN, next, { generation: 1, groupIds: [], otherGenerations: [3] })).toThrow(/otherGenerations\/0/);
  });

  test('generationFlowLines: what the bridge should hold', () => {
    expect(generationFlowLines(CHAIN, { generation: 1, flows: FLOWS, groups: [GROUP] })).toEqual([
      'cookie=0x2a0001,table=0,priority=40100,udp,in_port=1,tp_dst=5201,actions=group:268435712',
      FLOWS[1],
    ]);
    expect(() => generationFlowLines(CHAIN, { generation: 1, flows: ['x'] })).toThrow(/actions=/);
  });

  test('every problem is listed with its path', () => {
    const found = problems(() =>
      installChainBundle('br int', 0n, {
        generation: 3,
        flows: [
          'cookie=0x2a0002,in_port=1,actions=output:2', // chain 0 is refused, so no cookie to compare: only the chain problem
          'in_port=1',
          'delete cookie=0x2a0001/-1',
          'in_port=1,actions=output:2\nflow delete',
          'in_port=1,actions=group:7',
        ],
        groups: ['group_id=5,type=all,bucket=output:1', 'type=all,bucket=output:1', 'group_id=5,type=all,bucket=output:2', 'cookie=1,group_id=6,type=all', 'flow add in_port=1,actions=drop'],
      }, { generation: 3, groupIds: [5, 5, -1] }),
    );
    expect(found.map((p) => p.path)).toEqual([
      '/bridge',
      '/chainCookie',
      '/next/groups/1',
      '/next/groups/2',
      '/next/groups/3',
      '/next/groups/4',
      '/next/flows/1',
      '/next/flows/2',
      '/next/flows/3',
      '/next/flows/4',
      '/previous/generation',
      '/previous/groupIds/1',
      '/previous/groupIds/2',
      '/next/groups',
    ]);
    expect(found.find((p) => p.path === '/next/flows/4')!.message).toMatch(/group 7, which is not one of this generation's groups \(5\)/);
    expect(found.find((p) => p.path === '/next/groups/4')!.message).toMatch(/command word 'flow'/);
    expect(found.find((p) => p.path === '/next/groups')!.message).toMatch(/group_id 5 belongs to the previous generation/);
  });

  test('a cookie other than the generation\'s, masked, learned or twice is refused', () => {
    const next = (flow: string) => ({ generation: 1, flows: [flow] });
    expect(problems(() => installChainBundle('br-int', CHAIN, next('cookie=0x2b0001,actions=drop')))[0]!.message).toMatch(/not this generation's 0x2a0001/);
    expect(problems(() => installChainBundle('br-int', CHAIN, next('cookie=0x2a0000,actions=drop')))[0]!.message).toMatch(/not this generation's/);
    expect(problems(() => installChainBundle('br-int', CHAIN, next('cookie=0x2a0001/-1,actions=drop')))[0]!.message).toMatch(/without a mask/);
    expect(problems(() => installChainBundle('br-int', CHAIN, next('in_port=1,actions=learn(cookie=0x1,output:1)')))[0]!.message).toMatch(/once/);
    expect(problems(() => installChainBundle('br-int', CHAIN, next('cookie=0x2a0001,cookie=0x2a0001,actions=drop')))[0]!.message).toMatch(/once/);
    expect(problems(() => installChainBundle('br-int', CHAIN, next('packet-out in_port=1,packet=00,actions=drop')))[0]!.message).toMatch(/command word/);
    expect(problems(() => installChainBundle('br-int', CHAIN, { generation: 1, flows: [] }))[0]!.path).toBe('/next/flows');
    expect(problems(() => installChainBundle('br-int', CHAIN, next('actions=drop'), undefined, { protocol: 'OpenFlow13' as never }))[0]!.path).toBe('/options/protocol');
    expect(problems(() => installChainBundle('br-int', CHAIN, { generation: 1, flows: ['actions=drop'], groups: ['group_id=0xffffff01,type=all'] }))[0]!.message).toMatch(/reserved/);
    // OpenFlow 1.4 group mods would drop the hash's fields without a word.
    expect(problems(() => installChainBundle('br-int', CHAIN, { generation: 1, flows: FLOWS, groups: [` ${GROUP}`] }, undefined, { protocol: 'OpenFlow14' }))).toEqual([
      { path: '/next/groups/0', message: expect.stringMatching(/OpenFlow 1\.4 group mods drop/) },
    ]);
  });
});

describe('deleteChainBundle and dumpChainFlows', () => {
  test('the whole cookie range of the chain, then its groups', () => {
    expect(deleteChainBundle('br-int', CHAIN, [268435712, 536871168])).toEqual({
      file: 'ovs-ofctl',
      args: ['-O', 'OpenFlow15', 'bundle', 'br-int', '-'],
      stdin: 'flow delete cookie=0x2a0000/0xffffffffffff0000\ngroup delete group_id=268435712\ngroup delete group_id=536871168\n',
    });
    expect(deleteChainBundle('br-int', CHAIN, []).stdin).toBe('flow delete cookie=0x2a0000/0xffffffffffff0000\n');
    expect(problems(() => deleteChainBundle('-x', 0n, [1, 1, 2 ** 32])).map((p) => p.path)).toEqual(['/bridge', '/chainCookie', '/groupIds/1', '/groupIds/2']);
  });

  test('leftovers: the listed generations by exact cookie, then the listed groups; nothing listed is refused', () => {
    expect(deleteChainGenerationsBundle('br-int', CHAIN, [3, 3, 5], [268435712]).stdin).toBe(
      'flow delete cookie=0x2a0003/-1\nflow delete cookie=0x2a0005/-1\ngroup delete group_id=268435712\n',
    );
    expect(problems(() => deleteChainGenerationsBundle('br-int', CHAIN, [], []))).toEqual([{ path: '', message: 'names no generation and no group: nothing to delete' }]);
    expect(problems(() => deleteChainGenerationsBundle('br-int', CHAIN, [70000], [])).map((p) => p.path)).toEqual(['/generations/0']);
  });

  test('dump with statistics for the counters', () => {
    expect(dumpChainFlowStats('br-int', CHAIN).args).toEqual(['-O', 'OpenFlow15', 'dump-flows', 'br-int', 'cookie=0x2a0000/0xffffffffffff0000']);
  });

  test('dump by the chain range, without statistics', () => {
    expect(dumpChainFlows('br-int', CHAIN).args).toEqual(['-O', 'OpenFlow15', '--no-stats', 'dump-flows', 'br-int', 'cookie=0x2a0000/0xffffffffffff0000']);
    expect(() => dumpChainFlows('br-int', 1n << 48n)).toThrow(InvalidSpecError);
  });
});
