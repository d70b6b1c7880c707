import { describe, expect, test } from '@jest/globals';
import { InvalidSpecError, NameRuleError } from '#vim/naming';
import { addFlows, addGroups, checkFlowLine, cookieMatch, deleteFlowsByCookie, dumpFlowsByCookie } from './commands.js';

const FLOWS = ['cookie=0x2a,priority=100,in_port=1,ip,actions=output:2', 'delete cookie=0x29/-1'];

describe('ovs-ofctl invocations', () => {
  test('add-flows: one atomic bundle, flows on stdin one per line', () => {
    expect(addFlows('br-int', FLOWS)).toEqual({
      file: 'ovs-ofctl',
      args: ['-O', 'OpenFlow14', '--bundle', 'add-flows', 'br-int', '-'],
      stdin: `${FLOWS[0]}\n${FLOWS[1]}\n`,
    });
    expect(addFlows('br-int', FLOWS, { protocol: 'OpenFlow15' }).args[1]).toBe('OpenFlow15');
  });

  test('add-groups', () => {
    const group = 'group_id=7,type=select,selection_method=hash,fields(ip_src,ip_dst),bucket=output:3,bucket=output:4';
    expect(addGroups('br-int', [group])).toEqual({ file: 'ovs-ofctl', args: ['-O', 'OpenFlow14', '--bundle', 'add-groups', 'br-int', '-'], stdin: `${group}\n` });
  });

  test('delete and dump by cookie', () => {
    expect(cookieMatch(0xc0ffeen)).toBe('cookie=0xc0ffee/-1');
    expect(deleteFlowsByCookie('br-int', 42n).args).toEqual(['-O', 'OpenFlow14', '--bundle', 'del-flows', 'br-int', 'cookie=0x2a/-1']);
    expect(dumpFlowsByCookie('br-int', (1n << 64n) - 1n).args).toEqual(['-O', 'OpenFlow14', '--no-stats', 'dump-flows', 'br-int', 'cookie=0xffffffffffffffff/-1']);
    expect(() => deleteFlowsByCookie('br-int', 1n << 64n)).toThrow(NameRuleError);
    expect(() => dumpFlowsByCookie('-br', 1n)).toThrow(/invalid bridge name/);
  });

  test('bad input is refused with every problem listed', () => {
    try {
      addFlows('br int', ['ok=1,actions=drop', 'in_port=1,actions=output:2\nin_port=2,actions=drop', 'ip,actions=output:2 # x']);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidSpecError);
      expect((error as InvalidSpecError).problems.map((p) => p.path)).toEqual(['/bridge', '/lines/1', '/lines/2']);
    }
    expect(() => addFlows('br-int', [])).toThrow(/non-empty/);
    expect(() => addFlows('br-int', FLOWS, { protocol: 'OpenFlow10' as never })).toThrow(/protocol/);
  });
});

describe('flow lines', () => {
  test.each(['priority=0,actions=NORMAL', 'delete_strict priority=5,in_port=1', 'table=0,ip,nw_src=10.0.0.0/8,actions=mod_dl_dst:52:54:00:00:00:01,output:1'])(
    'accepts %p',
    (line) => expect(checkFlowLine(line).ok).toBe(true),
  );
  test.each([
    ['', /empty/],
    ['   ', /empty/],
    ['a\nb', /"\\n"/],
    ['a\rb', /"\\r"/],
    ['a\u0000b', /\\u0000/],
    ['ip,actions=output:2 #,output:3', /comment/],
    ['a\\', /contains "\\\\" at character 2/],
    ['dl_dst=é', /"é"/],
    ['x'.repeat(16385), /longer/],
    [42, /string/],
  ])('refuses %p', (line, message) => {
    const result = checkFlowLine(line);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });
});
