import { checkBridgeName, checkInteger, formatOpenFlowCookie, Problems } from '#vim/naming';
import { checkFlowLine, type OfctlInvocation, type OpenFlowVersion } from './commands.js';

/**
 * A service chain's flows and groups on one bridge, changed make-before-break with ONE
 * `ovs-ofctl -O OpenFlow15 bundle BRIDGE -` (1.4 works too, see below) (ovs-ofctl(8), "OpenFlow Switch Bundle Command"): stdin
 * holds flow and group mods, each line prefixed `flow <command>` or `group <command>`, executed in
 * order as one atomic transaction. Checked on OvS 3.1 (netdev bridge):
 * - a flow whose action names a group added later in the same bundle is refused
 *   (OFPBAC_BAD_OUT_GROUP): groups go first;
 * - one refused line (say `actions=group:4242`, no such group) fails the commit
 *   (OFPBFC_MSG_FAILED) and nothing of the bundle is applied, earlier lines included;
 * - deleting a group also deletes the flows that use it, and deleting a group or flows that do not
 *   exist is no error; so the old generation's flows are deleted before its groups, and a new flow
 *   must never use an old group;
 * - a bundle sent with `-O OpenFlow14` installs a select group without its `selection_method=hash`
 *   and `fields(…)`, silently (OpenFlow 1.4 group mods cannot carry them; dump-groups -O OpenFlow15
 *   shows them only when the bundle was sent with -O OpenFlow15), so chain bundles default to
 *   OpenFlow 1.5, and with OpenFlow14 a group line naming either is refused.
 *
 * Cookies (agreed with the renderer in libs/chains): every flow of a chain carries
 * `cookie = (chainCookie << 16) | generation`, generation being 16 bits. One generation is
 * `cookie=<value>/-1`, the whole chain `cookie=<chainCookie << 16>/0xffffffffffff0000`. Group ids
 * are per (chain, generation, hop), so a generation's groups never reuse an older one's ids.
 */

export const GENERATION_BITS = 16;
export const MAX_GENERATION = (1 << GENERATION_BITS) - 1;
/** Chain cookies fill the upper 48 bits; 0 is refused, since cookie 0 is every hand-made flow's. */
export const MAX_CHAIN_COOKIE = (1n << 48n) - 1n;
/** OFPG_MAX: group ids above it are reserved (ALL, ANY). */
export const MAX_GROUP_ID = 0xffffff00;
const CHAIN_MASK = 0xffff_ffff_ffff_0000n;

/** The new generation of a chain on one bridge, as the renderer made it. */
export interface ChainGeneration {
  generation: number;
  /**
   * Flow lines in ovs-ofctl flow syntax, without a command word. Each either carries no cookie
   * (the builder puts the generation's first) or exactly the generation's cookie, unmasked.
   * `group:N` actions may name only this generation's groups.
   */
  flows: readonly string[];
  /** Group lines (`group_id=N,type=…,bucket=…`), each with its own group_id. */
  groups?: readonly string[];
}

/** What is installed of the generation being replaced: its number and its groups' ids. */
export interface InstalledGeneration {
  generation: number;
  groupIds: readonly number[];
  /**
   * Other generations of the chain found on the bridge (a crash between a bundle and the record
   * of it leaves the rules of a generation the caller did not expect), deleted in the same bundle:
   * any of them may be carrying the chain's traffic.
   */
  otherGenerations?: readonly number[];
}

export interface ChainBundleOptions {
  /**
   * Bundles need OpenFlow 1.4 or later. Default OpenFlow15: only 1.5 group mods carry a select
   * group's `selection_method` and `fields`.
   */
  protocol?: Extract<OpenFlowVersion, 'OpenFlow14' | 'OpenFlow15'>;
}

/** `(chainCookie << 16) | generation`, checked. */
export function generationCookie(chainCookie: bigint, generation: number): bigint {
  const p = new Problems();
  checkChainCookie(p, ['chainCookie'], chainCookie);
  p.take(['generation'], checkInteger(generation, 0, MAX_GENERATION));
  p.throwIfAny('chain cookie');
  return (chainCookie << BigInt(GENERATION_BITS)) | BigInt(generation);
}

/** `cookie=0x…/-1`: exactly one generation's flows. */
export function generationCookieMatch(chainCookie: bigint, generation: number): string {
  return `cookie=${formatOpenFlowCookie(generationCookie(chainCookie, generation))}/-1`;
}

/** `cookie=0x…0000/0xffffffffffff0000`: every generation of one chain, nothing of another chain. */
export function chainCookieMatch(chainCookie: bigint): string {
  return `cookie=${formatOpenFlowCookie(generationCookie(chainCookie, 0))}/${formatOpenFlowCookie(CHAIN_MASK)}`;
}

/** The chain cookie a flow cookie belongs to. */
export function chainOfCookie(cookie: bigint): bigint {
  return cookie >> BigInt(GENERATION_BITS);
}

/**
 * The flow lines of a generation exactly as the bundle adds them (after `flow add `): the cookie
 * first when the renderer left it out. What the drift check expects on the bridge.
 */
export function generationFlowLines(chainCookie: bigint, next: ChainGeneration): string[] {
  return checkGeneration(new Problems(), chainCookie, next, true).flows;
}

/**
 * Installs `next` on `bridge`, replacing `previous` (if any) in the same atomic bundle:
 * 1. `group add` each new group; 2. `flow add` each new flow; 3. `flow delete` the previous
 * generation's flows by their cookie with the full mask (and those of `otherGenerations`);
 * 4. `group delete` the previous groups.
 * A packet sees either the old generation or the new one, never neither. Throws InvalidSpecError
 * listing every problem.
 */
export function installChainBundle(
  bridge: string,
  chainCookie: bigint,
  next: ChainGeneration,
  previous?: InstalledGeneration,
  options: ChainBundleOptions = {},
): OfctlInvocation {
  const p = new Problems();
  const name = p.take(['bridge'], checkBridgeName(bridge));
  const protocol = checkProtocol(p, options);
  const checked = checkGeneration(p, chainCookie, next, false);
  if (protocol === 'OpenFlow14') {
    checked.groups.forEach((group) => {
      if (/selection_method=|fields\(/i.test(group)) {
        p.add(['next', 'groups', (next.groups ?? []).findIndex((g) => typeof g === 'string' && g.trim() === group)], 'names selection_method or fields, which OpenFlow 1.4 group mods drop without a word: send it with OpenFlow15');
      }
    });
  }
  let oldGroups: number[] = [];
  if (previous !== undefined) {
    if (typeof previous !== 'object' || previous === null) p.add(['previous'], 'must be an object');
    else {
      const gen = p.take(['previous', 'generation'], checkInteger(previous.generation, 0, MAX_GENERATION));
      if (gen !== undefined && gen === next?.generation) p.add(['previous', 'generation'], `is the new generation too (${gen}); a change needs a new generation`);
      oldGroups = checkGroupIds(p, ['previous', 'groupIds'], previous.groupIds);
      (previous.otherGenerations ?? []).forEach((g, i) => {
        const other = p.take(['previous', 'otherGenerations', i], checkInteger(g, 0, MAX_GENERATION));
        if (other !== undefined && other === next?.generation) p.add(['previous', 'otherGenerations', i], `is the new generation (${other}); it cannot be deleted in the bundle that adds it`);
      });
      for (const id of checked.groupIds) {
        if (oldGroups.includes(id)) p.add(['next', 'groups'], `group_id ${id} belongs to the previous generation too; group ids are per generation`);
      }
    }
  }
  p.throwIfAny('chain bundle');
  const lines = [
    ...checked.groups.map((g) => `group add ${g}`),
    ...checked.flows.map((f) => `flow add ${f}`),
    ...(previous === undefined
      ? []
      : [...new Set([previous.generation, ...(previous.otherGenerations ?? [])])].map((g) => `flow delete ${generationCookieMatch(chainCookie, g)}`)),
    ...oldGroups.map((id) => `group delete group_id=${id}`),
  ];
  return bundle(protocol!, name!, lines);
}

/**
 * Deletes a chain from `bridge`: every flow in its cookie range (all generations, nothing of
 * another chain), then its groups, in one atomic bundle.
 */
export function deleteChainBundle(bridge: string, chainCookie: bigint, groupIds: readonly number[], options: ChainBundleOptions = {}): OfctlInvocation {
  const p = new Problems();
  const name = p.take(['bridge'], checkBridgeName(bridge));
  const protocol = checkProtocol(p, options);
  checkChainCookie(p, ['chainCookie'], chainCookie);
  const ids = checkGroupIds(p, ['groupIds'], groupIds);
  p.throwIfAny('chain deletion bundle');
  return bundle(protocol!, name!, [`flow delete ${chainCookieMatch(chainCookie)}`, ...ids.map((id) => `group delete group_id=${id}`)]);
}

/**
 * Removes leftovers of a chain from `bridge` in one atomic bundle: the flows of each listed
 * generation (exact cookie), then the listed groups. For what an earlier failure or a hand on the
 * switch left behind, before a new generation is installed: nothing here may be in use by the
 * generation that stays.
 */
export function deleteChainGenerationsBundle(
  bridge: string,
  chainCookie: bigint,
  generations: readonly number[],
  groupIds: readonly number[],
  options: ChainBundleOptions = {},
): OfctlInvocation {
  const p = new Problems();
  const name = p.take(['bridge'], checkBridgeName(bridge));
  const protocol = checkProtocol(p, options);
  checkChainCookie(p, ['chainCookie'], chainCookie);
  const gens = generations.map((g, i) => p.take(['generations', i], checkInteger(g, 0, MAX_GENERATION)));
  const ids = checkGroupIds(p, ['groupIds'], groupIds);
  if (generations.length + groupIds.length === 0) p.add([], 'names no generation and no group: nothing to delete');
  p.throwIfAny('chain leftovers bundle');
  const flows = [...new Set(gens as number[])].map((g) => `flow delete ${generationCookieMatch(chainCookie, g)}`);
  return bundle(protocol!, name!, [...flows, ...ids.map((id) => `group delete group_id=${id}`)]);
}

function bundle(protocol: string, bridge: string, lines: readonly string[]): OfctlInvocation {
  // Every line we assemble is checked once more as a whole (length, characters).
  const p = new Problems();
  lines.forEach((line, i) => p.take(['stdin', i], checkFlowLine(line)));
  p.throwIfAny('chain bundle');
  return { file: 'ovs-ofctl', args: ['-O', protocol, 'bundle', bridge, '-'], stdin: lines.join('\n') + '\n' };
}

const PROTOCOLS = ['OpenFlow14', 'OpenFlow15'] as const;

function checkProtocol(p: Problems, options: ChainBundleOptions): string | undefined {
  const protocol = options?.protocol ?? 'OpenFlow15';
  if ((PROTOCOLS as readonly string[]).includes(protocol)) return protocol;
  p.add(['options', 'protocol'], `must be one of ${PROTOCOLS.join(', ')} (bundles need OpenFlow 1.4+)`);
  return undefined;
}

function checkChainCookie(p: Problems, path: (string | number)[], value: unknown): void {
  if (typeof value !== 'bigint') p.add(path, `must be a bigint, got ${typeof value}`);
  else if (value < 1n || value > MAX_CHAIN_COOKIE) p.add(path, `${value} is outside 1..2^48-1 (the cookie's upper 48 bits; 0 is every hand-made flow's)`);
}

function checkGroupIds(p: Problems, path: (string | number)[], ids: unknown): number[] {
  if (!Array.isArray(ids)) {
    p.add(path, 'must be an array of group ids');
    return [];
  }
  const seen = new Set<number>();
  ids.forEach((id, i) => {
    const n = p.take([...path, i], checkInteger(id, 0, MAX_GROUP_ID));
    if (n === undefined) return;
    if (seen.has(n)) p.add([...path, i], `group_id ${n} is listed twice`);
    seen.add(n);
  });
  return [...seen];
}

/** Words ovs-ofctl's bundle reader takes as commands: the builder writes them, a line may not. */
const COMMAND_WORDS = new Set([
  'flow', 'group', 'packet-out', 'add', 'modify', 'modify_strict', 'delete', 'delete_strict', 'add_or_mod', 'insert_bucket', 'remove_bucket',
]);

function firstWord(line: string): string {
  return /^\s*([^\s,=]*)/.exec(line)![1]!.toLowerCase();
}

/** The match part (before `actions=`) and the actions. */
function splitActions(line: string): { match: string; actions: string } | undefined {
  const at = /(^|[\s,])actions=/.exec(line);
  if (!at) return undefined;
  return { match: line.slice(0, at.index), actions: line.slice(at.index + at[0].length) };
}

const NUMBER = /^(0x[0-9a-f]+|\d+)$/i;

interface CheckedGeneration {
  flows: string[];
  groups: string[];
  groupIds: number[];
}

function checkGeneration(p: Problems, chainCookie: bigint, next: ChainGeneration, throwNow: boolean): CheckedGeneration {
  const result: CheckedGeneration = { flows: [], groups: [], groupIds: [] };
  const groupIndex: number[] = [];
  checkChainCookie(p, ['chainCookie'], chainCookie);
  if (typeof next !== 'object' || next === null) {
    p.add(['next'], 'must be an object');
    if (throwNow) p.throwIfAny('chain generation');
    return result;
  }
  const generation = p.take(['next', 'generation'], checkInteger(next.generation, 0, MAX_GENERATION));
  const cookie = generation !== undefined && typeof chainCookie === 'bigint' && chainCookie >= 1n && chainCookie <= MAX_CHAIN_COOKIE
    ? (chainCookie << BigInt(GENERATION_BITS)) | BigInt(generation)
    : undefined;

  const groups = next.groups ?? [];
  if (!Array.isArray(groups)) p.add(['next', 'groups'], 'must be an array of group lines');
  else {
    groups.forEach((line: unknown, i) => {
      const path = ['next', 'groups', i];
      const text = p.take(path, checkFlowLine(line));
      if (text === undefined) return;
      if (COMMAND_WORDS.has(firstWord(text))) return p.add(path, `starts with the command word '${firstWord(text)}'; the builder writes the commands`);
      if (/cookie/i.test(text)) return p.add(path, 'a group has no cookie');
      const ids = [...text.matchAll(/(?:^|[\s,])group_id=([^\s,]*)/gi)].map((m) => m[1]!);
      if (ids.length !== 1 || !NUMBER.test(ids[0]!)) return p.add(path, `must name exactly one numeric group_id (found ${ids.length === 0 ? 'none' : ids.join(', ')})`);
      const id = Number(ids[0]);
      if (id > MAX_GROUP_ID) return p.add(path, `group_id ${id} is above ${MAX_GROUP_ID} (reserved)`);
      if (result.groupIds.includes(id)) return p.add(path, `group_id ${id} is listed twice`);
      result.groupIds.push(id);
      result.groups.push(text.trim());
      groupIndex.push(i);
    });
  }

  const flows = next.flows;
  if (!Array.isArray(flows) || flows.length === 0) p.add(['next', 'flows'], 'must be a non-empty array of flow lines');
  else {
    flows.forEach((line: unknown, i) => {
      const path = ['next', 'flows', i];
      const text = p.take(path, checkFlowLine(line));
      if (text === undefined) return;
      const word = firstWord(text);
      if (COMMAND_WORDS.has(word)) return p.add(path, `starts with the command word '${word}'; the builder writes the commands`);
      const parts = splitActions(text);
      if (!parts) return p.add(path, "has no 'actions='");
      const cookies = [...text.matchAll(/cookie/gi)].length;
      const own = [...parts.match.matchAll(/(?:^|[\s,])cookie=([^\s,]*)/gi)].map((m) => m[1]!);
      if (cookies > own.length || own.length > 1) return p.add(path, "may name a cookie once, as its own 'cookie=' field (no learned or masked cookies)");
      let flow = text.trim();
      if (own.length === 1) {
        if (!NUMBER.test(own[0]!)) return p.add(path, `cookie '${own[0]}' must be a number without a mask`);
        if (cookie !== undefined && BigInt(own[0]!) !== cookie) {
          return p.add(path, `has cookie ${own[0]}, not this generation's ${formatOpenFlowCookie(cookie)}`);
        }
      } else if (cookie !== undefined) flow = `cookie=${formatOpenFlowCookie(cookie)},${flow}`;
      for (const m of parts.actions.matchAll(/(?:^|[\s,:(])group:([^\s,)]*)/gi)) {
        const id = NUMBER.test(m[1]!) ? Number(m[1]) : undefined;
        if (id === undefined || !result.groupIds.includes(id)) {
          p.add(path, `uses group ${m[1]}, which is not one of this generation's groups (${result.groupIds.join(', ') || 'none'}); an older group is deleted by the same bundle, and its flows with it`);
        }
      }
      result.flows.push(flow);
    });
  }
  // A group whose buckets jump to another group must name one of this generation's too.
  result.groups.forEach((text, i) => {
    for (const m of text.matchAll(/(?:^|[\s,:(=])group:([^\s,)]*)/gi)) {
      const id = NUMBER.test(m[1]!) ? Number(m[1]) : undefined;
      if (id === undefined || !result.groupIds.includes(id)) p.add(['next', 'groups', groupIndex[i]!], `uses group ${m[1]}, which is not one of this generation's groups`);
    }
  });
  if (throwNow) p.throwIfAny('chain generation');
  return result;
}

/** `ovs-ofctl -O OpenFlow15 --no-stats dump-flows BRIDGE cookie=<chain>/0xffffffffffff0000`: every generation of one chain. */
export function dumpChainFlows(bridge: string, chainCookie: bigint, options: ChainBundleOptions = {}): OfctlInvocation {
  const p = new Problems();
  const name = p.take(['bridge'], checkBridgeName(bridge));
  const protocol = checkProtocol(p, options);
  checkChainCookie(p, ['chainCookie'], chainCookie);
  p.throwIfAny('chain dump');
  return { file: 'ovs-ofctl', args: ['-O', protocol!, '--no-stats', 'dump-flows', name!, chainCookieMatch(chainCookie)] };
}

/**
 * `ovs-ofctl -O OpenFlow15 dump-flows BRIDGE` with statistics: every flow of the bridge, for a
 * caller that splits one dump by cookie (`chainOfCookie`) instead of asking once per chain.
 */
export function dumpBridgeFlowStats(bridge: string, options: ChainBundleOptions = {}): OfctlInvocation {
  const p = new Problems();
  const name = p.take(['bridge'], checkBridgeName(bridge));
  const protocol = checkProtocol(p, options);
  p.throwIfAny('bridge dump');
  return { file: 'ovs-ofctl', args: ['-O', protocol!, 'dump-flows', name!] };
}

/**
 * `ovs-ofctl -O OpenFlow15 dump-flows BRIDGE cookie=<chain>/0xffffffffffff0000` with statistics
 * (`n_packets=`, `n_bytes=`): what the chain's counters are read from.
 */
export function dumpChainFlowStats(bridge: string, chainCookie: bigint, options: ChainBundleOptions = {}): OfctlInvocation {
  const args = dumpChainFlows(bridge, chainCookie, options).args.filter((a) => a !== '--no-stats');
  return { file: 'ovs-ofctl', args };
}
