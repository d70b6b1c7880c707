import { describe, expect, jest, test } from '@jest/globals';
import { InvalidSpecError } from '#vim/naming';
import { OfctlError, OfctlFlowInstaller, type OfctlRunner } from './driver/flow-installer.js';
import { dumpGroups, groupDrift, groupIdOf, normaliseGroup } from './group-drift.js';

// Added with `ovs-ofctl -O OpenFlow15 bundle BR -` (each line prefixed `group add `) on a netdev
// bridge of OvS 3.1 with internal ports 1-6; the first two as libs/chains renders a select hop.
const RENDERED = [
  'group_id=268436736,type=select,selection_method=hash,fields(ip_src,ip_dst,nw_proto,udp_src,udp_dst),bucket=bucket_id:0,actions=output:1,bucket=bucket_id:1,actions=output:2',
  'group_id=268436738,type=select,selection_method=hash,fields(ipv6_src,ipv6_dst,nw_proto,tcp_src,tcp_dst,udp_src,udp_dst,sctp_src,sctp_dst),bucket=bucket_id:0,actions=output:3,bucket=bucket_id:1,actions=output:4,bucket=bucket_id:2,actions=output:5',
  'group_id=7,type=all,bucket=output:1,bucket=output:2',
  'group_id=8,type=indirect,bucket=actions=output:3',
  'group_id=9,type=select,bucket=weight:50,actions=output:1,bucket=weight:100,actions=mod_dl_dst:52:54:00:00:00:01,output:2',
  'group_id=10,type=all,bucket=actions=strip_vlan,4,bucket=actions=normal',
];
// What `ovs-ofctl -O OpenFlow15 dump-groups BR` printed then (order as printed).
const DUMP = `OFPST_GROUP_DESC reply (OF1.5) (xid=0x2):
 group_id=268436738,type=select,selection_method=hash,fields(ipv6_src,ipv6_dst,nw_proto,tcp_src,tcp_dst,udp_src,udp_dst,sctp_src,sctp_dst),bucket=bucket_id:0,actions=output:3,bucket=bucket_id:1,actions=output:4,bucket=bucket_id:2,actions=output:5
 group_id=9,type=select,bucket=bucket_id:0,weight:50,actions=output:1,bucket=bucket_id:1,weight:100,actions=set_field:52:54:00:00:00:01->eth_dst,output:2
 group_id=10,type=all,bucket=bucket_id:0,actions=pop_vlan,output:4,bucket=bucket_id:1,actions=NORMAL
 group_id=268436736,type=select,selection_method=hash,fields(ip_src,ip_dst,nw_proto,udp_src,udp_dst),bucket=bucket_id:0,actions=output:1,bucket=bucket_id:1,actions=output:2
 group_id=7,type=all,bucket=bucket_id:0,actions=output:1,bucket=bucket_id:1,actions=output:2
 group_id=8,type=indirect,bucket=bucket_id:0,actions=output:3
`.split('\n');
// The same groups dumped with -O OpenFlow14: no bucket ids, no selection_method, no fields.
const DUMP_OF14 = `OFPST_GROUP_DESC reply (OF1.4) (xid=0x2):
 group_id=268436736,type=select,bucket=actions=output:1,bucket=actions=output:2
 group_id=7,type=all,bucket=actions=output:1,bucket=actions=output:2`.split('\n');
// A second capture: fields written out of order with other names, weight:1, a bare port, the
// group's fields reordered, bucket ids given out of order.
const RENDERED_2 = [
  'type=select,group_id=11,fields(udp_dst,tp_src,nw_proto,nw_dst,nw_src),selection_method=hash,bucket=actions=output:2,bucket_id:0,bucket=bucket_id:1,weight:1,actions=3',
  'group_id=12,type=select,selection_method=hash,fields(ip_src,ip_dst),bucket=bucket_id:1,actions=output:1,bucket=bucket_id:0,actions=output:2',
  'group_id=14,type=indirect,bucket=actions=group:13',
];
const DUMP_2 = `OFPST_GROUP_DESC reply (OF1.5) (xid=0x2):
 group_id=12,type=select,selection_method=hash,fields(ip_src,ip_dst),bucket=bucket_id:1,actions=output:1,bucket=bucket_id:0,actions=output:2
 group_id=13,type=all,bucket=bucket_id:0,actions=output:1,bucket=bucket_id:1,actions=output:2
 group_id=14,type=indirect,bucket=bucket_id:0,actions=group:13
 group_id=11,type=select,selection_method=hash,fields(ip_src,ip_dst,nw_proto,tcp_src,udp_dst),bucket=bucket_id:0,actions=output:2,bucket=bucket_id:1,actions=output:3`.split('\n');
// Group 15 after `group modify` gave bucket 1 port 3 instead of 2.
const RENDERED_15 = 'group_id=15,type=select,selection_method=hash,fields(ip_src,ip_dst,nw_proto,udp_src,udp_dst),bucket=bucket_id:0,actions=output:1,bucket=bucket_id:1,actions=output:2';
const DUMP_15_MODIFIED = ' group_id=15,type=select,selection_method=hash,fields(ip_src,ip_dst,nw_proto,udp_src,udp_dst),bucket=bucket_id:0,actions=output:1,bucket=bucket_id:1,actions=output:3';

const ALL_IDS = [268436736, 268436738, 7, 8, 9, 10];

describe('normaliseGroup', () => {
  test('a rendered line and the dump of it read the same (captured, OvS 3.1)', () => {
    const fromDump = DUMP.map(normaliseGroup).filter((g) => g !== undefined);
    expect(fromDump).toHaveLength(RENDERED.length);
    expect(new Set(RENDERED.map(normaliseGroup))).toEqual(new Set(fromDump));
    const fromDump2 = DUMP_2.map(normaliseGroup);
    for (const line of RENDERED_2) expect(fromDump2).toContain(normaliseGroup(line));
  });

  test('canonical text', () => {
    expect(normaliseGroup(`group add ${RENDERED[0]}`)).toBe(
      'group_id=268436736 type=select selection_method=hash fields(ip_dst,ip_src,nw_proto,udp_dst,udp_src) bucket=bucket_id:0,weight:1,actions=output:1 bucket=bucket_id:1,weight:1,actions=output:2',
    );
    expect(normaliseGroup(RENDERED[2]!)).toBe('group_id=7 type=all bucket=bucket_id:0,actions=output:1 bucket=bucket_id:1,actions=output:2');
    expect(normaliseGroup(RENDERED[4]!)).toBe(
      'group_id=9 type=select bucket=bucket_id:0,weight:50,actions=output:1 bucket=bucket_id:1,weight:100,actions=set_field:52:54:00:00:00:01->eth_dst,output:2',
    );
    expect(normaliseGroup('OFPST_GROUP_DESC reply (OF1.5) (xid=0x2):')).toBeUndefined();
    expect(normaliseGroup('')).toBeUndefined();
    expect(normaliseGroup('type=all,bucket=output:1')).toBeUndefined();
  });

  test('the same group in another print order: group fields, hash fields and their names, bucket parameters', () => {
    const base = normaliseGroup(RENDERED[0]!);
    expect(normaliseGroup('type=select,fields(udp_dst,udp_src,nw_proto,nw_dst,nw_src),group_id=268436736,selection_method=hash,bucket=actions=output:1,bucket_id:0,bucket=weight:1,bucket_id:1,actions=2')).toBe(base);
    // a select group's buckets by id (the hash picks by bucket id, not position)
    expect(normaliseGroup('group_id=268436736,type=select,selection_method=hash,fields(ip_src,ip_dst,nw_proto,udp_src,udp_dst),bucket=bucket_id:1,actions=output:2,bucket=bucket_id:0,actions=output:1')).toBe(base);
  });

  test('what differs stays different: id, type, method, fields, bucket ids, weights, actions, bucket order of an all group', () => {
    const base = normaliseGroup(RENDERED[0]!);
    for (const other of [
      RENDERED[0]!.replace('268436736', '268436737'),
      RENDERED[0]!.replace('type=select', 'type=all'),
      RENDERED[0]!.replace('selection_method=hash,', ''),
      RENDERED[0]!.replace('udp_src,udp_dst', 'tcp_src,tcp_dst'),
      RENDERED[0]!.replace(',nw_proto', ''),
      RENDERED[0]!.replace('bucket_id:1', 'bucket_id:2'),
      RENDERED[0]!.replace('bucket_id:1,', 'bucket_id:1,weight:2,'),
      RENDERED[0]!.replace('output:2', 'output:3'),
      RENDERED[0]!.replace(',bucket=bucket_id:1,actions=output:2', ''),
    ]) expect(normaliseGroup(other)).not.toBe(base);
    expect(normaliseGroup('group_id=7,type=all,bucket=output:2,bucket=output:1')).not.toBe(normaliseGroup(RENDERED[2]!));
  });
});

describe('groupDrift', () => {
  test('none when the bridge holds what was rendered', () => {
    expect(groupDrift(DUMP, RENDERED, ALL_IDS)).toEqual({ missing: [], extra: [] });
    expect(groupDrift(DUMP_2, RENDERED_2, [11, 12, 14])).toEqual({ missing: [], extra: [] });
  });

  test('a bucket changed: the rendered group is missing and the dumped one extra', () => {
    expect(groupDrift([DUMP[0]!, DUMP_15_MODIFIED, ...DUMP.slice(1)], [RENDERED_15], [15])).toEqual({
      missing: [RENDERED_15],
      extra: [DUMP_15_MODIFIED.trim()],
    });
  });

  test("another chain's groups on the bridge are ignored; only this chain's ids are looked at", () => {
    const mine = [RENDERED[0]!, RENDERED[1]!];
    expect(groupDrift(DUMP, mine, [268436736, 268436738])).toEqual({ missing: [], extra: [] });
    // the ids may be left to the expected lines alone
    expect(groupDrift(DUMP, mine, [])).toEqual({ missing: [], extra: [] });
  });

  test("a group gone, and the previous generation's group left behind", () => {
    const stale = ' group_id=536872192,type=select,selection_method=hash,fields(ip_src,ip_dst,nw_proto,udp_src,udp_dst),bucket=bucket_id:0,actions=output:1,bucket=bucket_id:1,actions=output:2';
    const dumped = [...DUMP.filter((l) => !l.includes('group_id=268436738')), stale];
    expect(groupDrift(dumped, [RENDERED[0]!, RENDERED[1]!], [268436736, 268436738, 536872192])).toEqual({
      missing: [RENDERED[1]],
      extra: [stale.trim()],
    });
    // without the old id, the leftover is another chain's business
    expect(groupDrift(dumped, [RENDERED[0]!, RENDERED[1]!], []).extra).toEqual([]);
  });

  test('an OpenFlow 1.4 dump of a hashed select group drifts (it lacks method and fields): dump with 1.5', () => {
    expect(groupDrift(DUMP_OF14, [RENDERED[0]!], []).missing).toEqual([RENDERED[0]]);
    expect(groupDrift(DUMP_OF14, [RENDERED[2]!], [])).toEqual({ missing: [], extra: [] });
  });

  test('after ovs-vswitchd lost every group, all are missing', () => {
    expect(groupDrift([DUMP[0]!], RENDERED, ALL_IDS)).toEqual({ missing: RENDERED, extra: [] });
  });
});

describe('groupIdOf', () => {
  test('reads the id, not a group: action', () => {
    expect(groupIdOf(DUMP[1]!)).toBe(268436738);
    expect(groupIdOf(' group_id=14,type=indirect,bucket=bucket_id:0,actions=group:13')).toBe(14);
    expect(groupIdOf('OFPST_GROUP_DESC reply (OF1.5) (xid=0x2):')).toBeUndefined();
  });
});

describe('dumpGroups, and reading them through the installer', () => {
  test('argv: OpenFlow 1.5, the bridge, optionally the bare group number', () => {
    expect(dumpGroups('br-int')).toEqual({ file: 'ovs-ofctl', args: ['-O', 'OpenFlow15', 'dump-groups', 'br-int'] });
    expect(dumpGroups('br-int', 268436736).args).toEqual(['-O', 'OpenFlow15', 'dump-groups', 'br-int', '268436736']);
    expect(() => dumpGroups('br int; rm')).toThrow(InvalidSpecError);
    expect(() => dumpGroups('br-int', -1)).toThrow(InvalidSpecError);
    expect(() => dumpGroups('br-int', 0xffffff01)).toThrow(InvalidSpecError);
  });

  test('answers the group lines without the header', async () => {
    const run = jest.fn<OfctlRunner>(async () => ({ stdout: DUMP.join('\n'), stderr: '' }));
    expect(await new OfctlFlowInstaller(run).dumpGroups('br-int')).toEqual(DUMP.slice(1).map((l) => l.trim()).filter((l) => l !== ''));
    expect(run).toHaveBeenCalledWith('ovs-ofctl', ['-O', 'OpenFlow15', 'dump-groups', 'br-int'], undefined, 30_000);
  });

  test('ovs-ofctl failing is an OfctlError quoting its stderr', async () => {
    const run = jest.fn<OfctlRunner>(async () => {
      throw Object.assign(new Error('Command failed'), { code: 1, stderr: 'ovs-ofctl: nosuchbr is not a bridge or a socket\n' });
    });
    await expect(new OfctlFlowInstaller(run).dumpGroups('nosuchbr')).rejects.toThrow(OfctlError);
    await expect(new OfctlFlowInstaller(run).dumpGroups('nosuchbr')).rejects.toThrow(/is not a bridge or a socket/);
  });
});
