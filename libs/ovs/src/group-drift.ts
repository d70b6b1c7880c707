import { checkBridgeName, checkInteger, Problems } from '#vim/naming';
import type { OfctlInvocation } from './commands.js';
import { linesDrift, normaliseAction, topLevel } from './flow-drift.js';
import { MAX_GROUP_ID } from './chain-bundle.js';

/**
 * Drift between the groups a bridge holds for a chain and the groups we rendered, as a pure
 * function: the group counterpart of flowDrift. `ovs-ofctl -O OpenFlow15 dump-groups BRIDGE`
 * does not print a group as it was added (checked on OvS 3.1, netdev bridge, groups added by an
 * OpenFlow 1.5 bundle as libs/chains renders them):
 * - a header line (`OFPST_GROUP_DESC reply (OF1.5) (xid=0x2):`), groups in no particular order;
 * - the group's own fields in a fixed order (`group_id,type,selection_method,fields(…),bucket=…`)
 *   whatever order they were written in;
 * - `fields(…)` in OvS's own field order and names (`fields(udp_dst,tp_src,nw_proto,nw_dst,nw_src)`
 *   prints as `fields(ip_src,ip_dst,nw_proto,tcp_src,udp_dst)`): the hash is over a set of fields;
 * - each bucket as `bucket_id:N[,weight:W],actions=…`: a bucket without an id gets its position,
 *   `actions=` is added where it was left out, a select bucket's default `weight:1` is left out
 *   (`weight:100` is printed), bucket parameters come before the actions;
 * - buckets in the order they were added (ids given out of order stay out of order);
 * - actions rewritten as in flow dumps (`3` -> `output:3`, `mod_dl_dst:M` -> `set_field:M->eth_dst`,
 *   `strip_vlan` -> `pop_vlan`, `normal` -> `NORMAL`).
 * With -O OpenFlow13/14 the dump leaves out bucket ids, `selection_method` and `fields` (so does
 * the switch, for groups added as 1.4): compare 1.5 dumps only.
 *
 * The normal form (`normaliseGroup`): `group_id=N type=T [selection_method=M] [fields(sorted)]
 * bucket=bucket_id:I[,weight:W][,watch_port:P][,watch_group:G],actions=… …`, select buckets sorted
 * by bucket id (OvS picks a select group's bucket by a score of the hash and the bucket id, not by
 * position), other groups' buckets kept in order (an `all` group runs them in order).
 */

const FIELD_NAMES: Readonly<Record<string, string>> = {
  nw_src: 'ip_src',
  nw_dst: 'ip_dst',
  ip_proto: 'nw_proto',
  tp_src: 'tcp_src',
  tp_dst: 'tcp_dst',
  dl_src: 'eth_src',
  dl_dst: 'eth_dst',
  dl_type: 'eth_type',
  dl_vlan: 'vlan_vid',
};

const BUCKET_PARAMS = new Set(['bucket_id', 'weight', 'watch_port', 'watch_group']);

interface Bucket {
  id: number;
  params: Map<string, string>;
  actions: string[];
}

function hashFields(token: string): string {
  const inner = token.slice(token.indexOf('(') + 1, token.lastIndexOf(')'));
  const fields = inner.split(',').map((f) => f.trim()).filter((f) => f !== '').map((f) => {
    const eq = f.indexOf('=');
    const name = (eq < 0 ? f : f.slice(0, eq)).toLowerCase();
    return (FIELD_NAMES[name] ?? name) + (eq < 0 ? '' : `=${f.slice(eq + 1).toLowerCase()}`);
  });
  return `fields(${[...new Set(fields)].sort().join(',')})`;
}

/** A bucket parameter token (`bucket_id:0`, `weight=5`), or undefined for an action. */
function bucketParam(token: string): [string, string] | undefined {
  const m = /^([a-z_]+)[:=](.*)$/i.exec(token);
  if (!m || !BUCKET_PARAMS.has(m[1]!.toLowerCase())) return undefined;
  return [m[1]!.toLowerCase(), m[2]!.trim().toLowerCase()];
}

/**
 * One group in a canonical text (see above), whether from a dump line or from a rendered group
 * line (with or without a `group add`/`add` command word). undefined for lines that are no group
 * (dump headers, blank lines, lines without a numeric group_id).
 */
export function normaliseGroup(line: string): string | undefined {
  let text = line.trim();
  if (text === '' || /^(OFPST_|NXST_)/.test(text)) return undefined;
  text = text.replace(/^group\s+/i, '').replace(/^add\s+/i, '');
  let id: number | undefined;
  let type = 'all';
  let method: string | undefined;
  let methodParam: string | undefined;
  let fields: string | undefined;
  const others: string[] = [];
  const buckets: Bucket[] = [];
  let bucket: Bucket | undefined;
  for (const raw of topLevel(text, /[\s,]/)) {
    let token = raw;
    if (/^bucket=/i.test(token)) {
      bucket = { id: buckets.length, params: new Map(), actions: [] };
      buckets.push(bucket);
      token = token.slice('bucket='.length);
      if (token === '') continue;
    }
    if (bucket) {
      if (/^actions?=/i.test(token)) {
        token = token.slice(token.indexOf('=') + 1);
        if (token === '') continue;
      }
      // As in OvS's parser, bucket_id, weight and watch_* are parameters wherever they stand.
      const param = bucketParam(token);
      if (param) {
        if (param[0] === 'bucket_id') bucket.id = Number(param[1]);
        else bucket.params.set(param[0], param[1]);
      } else bucket.actions.push(normaliseAction(token));
      continue;
    }
    const eq = token.indexOf('=');
    const key = (eq < 0 ? token : token.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? undefined : token.slice(eq + 1).trim();
    if (key === 'group_id' && value !== undefined && /^(0x[0-9a-f]+|\d+)$/i.test(value)) id = Number(value);
    else if (key === 'type' && value !== undefined) type = value.toLowerCase();
    else if (key === 'selection_method' && value !== undefined) method = value.toLowerCase();
    else if (key === 'selection_method_param' && value !== undefined) methodParam = String(Number(value));
    else if (/^fields\(/i.test(token) || key === 'fields') fields = hashFields(eq < 0 ? token : `fields(${value})`);
    else others.push(token.toLowerCase());
  }
  if (id === undefined) return undefined;
  const select = type === 'select';
  if (select) buckets.sort((a, b) => a.id - b.id);
  const bucketTexts = buckets.map((b) => {
    const weight = b.params.get('weight') ?? (select ? '1' : undefined);
    const params = [`bucket_id:${b.id}`];
    if (weight !== undefined) params.push(`weight:${Number(weight)}`);
    for (const key of ['watch_port', 'watch_group']) if (b.params.has(key)) params.push(`${key}:${b.params.get(key)}`);
    return `bucket=${params.join(',')},actions=${b.actions.join(',')}`;
  });
  return [
    `group_id=${id}`,
    `type=${type}`,
    ...(method === undefined ? [] : [`selection_method=${method}`]),
    ...(methodParam === undefined || methodParam === '0' ? [] : [`selection_method_param=${methodParam}`]),
    ...(fields === undefined ? [] : [fields]),
    ...others.sort(),
    ...bucketTexts,
  ].join(' ');
}

/** The group_id of a group line (dumped or rendered), or undefined. */
export function groupIdOf(line: string): number | undefined {
  const m = /(?:^|[\s,])group_id=(0x[0-9a-f]+|\d+)(?=$|[\s,])/i.exec(line);
  return m ? Number(m[1]) : undefined;
}

export interface GroupDrift {
  /** Expected groups the bridge does not hold as rendered (as rendered). */
  missing: string[];
  /** Groups of the chain the bridge holds that were not expected, or differ (as dumped). */
  extra: string[];
}

/**
 * What differs between the groups a bridge holds (`dumped`, the lines `ovs-ofctl -O OpenFlow15
 * dump-groups` prints, for the whole bridge or some of its groups) and a chain's rendered group
 * lines (`expected`). Only dumped groups whose id is in `groupIds` or among the expected groups'
 * are looked at: other groups on the bridge belong to other chains. A group whose buckets or
 * hash fields changed is both missing (the rendered line) and extra (the dumped one); a group of
 * the chain's previous generation still on the bridge is extra when its id is in `groupIds`.
 */
export function groupDrift(dumped: readonly string[], expected: readonly string[], groupIds: readonly number[]): GroupDrift {
  const ids = new Set<number>(groupIds);
  for (const line of expected) {
    const id = groupIdOf(line);
    if (id !== undefined) ids.add(id);
  }
  return linesDrift(dumped.filter((line) => ids.has(groupIdOf(line) ?? -1)), expected, normaliseGroup);
}

/**
 * `ovs-ofctl -O OpenFlow15 dump-groups BRIDGE [GROUP]`: every group on the bridge, or one (the
 * argument is the bare number; `group_id=N` there is refused with a warning and dumps them all).
 * OpenFlow 1.5, since older dumps leave out `selection_method`, `fields` and bucket ids. A group
 * that does not exist prints only the header (exit 0). There is no cookie to filter groups by:
 * for a whole bridge's check, dump once and give every chain's groupDrift the same lines.
 */
export function dumpGroups(bridge: string, groupId?: number): OfctlInvocation {
  const p = new Problems();
  const name = p.take(['bridge'], checkBridgeName(bridge));
  const id = groupId === undefined ? undefined : p.take(['groupId'], checkInteger(groupId, 0, MAX_GROUP_ID));
  p.throwIfAny('group dump');
  return { file: 'ovs-ofctl', args: ['-O', 'OpenFlow15', 'dump-groups', name!, ...(id === undefined ? [] : [String(id)])] };
}
