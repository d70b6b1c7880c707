import {
  checkBridgeName, checkOpenFlowCookie, fail, formatOpenFlowCookie, InvalidSpecError, ok, Problems, quote, type RuleResult, unwrap,
} from '#vim/naming';

/**
 * ovs-ofctl invocations as data: the program, an argv array (for execFile/spawn, never a shell)
 * and the text for its stdin. Flows and groups always go through stdin (`-`), one per line, so
 * no flow text is ever an argument; the arguments are fixed flags, a checked bridge name and
 * numbers we formatted ourselves.
 */
export interface OfctlInvocation {
  readonly file: 'ovs-ofctl';
  readonly args: readonly string[];
  readonly stdin?: string;
}

export type OpenFlowVersion = 'OpenFlow13' | 'OpenFlow14' | 'OpenFlow15';

export interface OfctlOptions {
  /** Protocol for `-O`; bundles need OpenFlow 1.4+ (1.3 only through an OvS extension). Default OpenFlow14. */
  protocol?: OpenFlowVersion;
}

/** Longest flow or group line we send; real ones are a few hundred characters. */
export const MAX_FLOW_LINE_LENGTH = 16384;

/**
 * One line of ovs-ofctl flow or group syntax (optionally prefixed by add/modify/delete…). Only
 * printable ASCII, because:
 * - a newline would split one flow into two lines of stdin, i.e. two flow mods;
 * - ovs-ofctl drops everything from `#` to the end of a line as a comment, so `#` would silently
 *   cut off the rest of a flow (its actions, turning it into a drop rule) — checked with
 *   `ovs-ofctl parse-flows` on OvS 3.1;
 * - a backslash has no meaning in flow syntax and is refused so no reader can treat it as an escape;
 * - other control characters and non-ASCII have no place in the syntax at all.
 */
export function checkFlowLine(value: unknown): RuleResult<string> {
  if (typeof value !== 'string') return fail(`must be a string, got ${quote(value)}`);
  if (value.trim() === '') return fail('must not be empty');
  if (value.length > MAX_FLOW_LINE_LENGTH) return fail(`is longer than ${MAX_FLOW_LINE_LENGTH} characters`);
  const bad = /[^\x20-\x7e]|[#\\]/.exec(value);
  if (bad) {
    const what = bad[0] === '#' ? "'#' (ovs-ofctl would read the rest as a comment)" : `${quote(bad[0])}`;
    return fail(`contains ${what} at character ${bad.index + 1}; flow lines are printable ASCII without '#' or '\\'`);
  }
  return ok(value);
}

const PROTOCOLS: readonly OpenFlowVersion[] = ['OpenFlow13', 'OpenFlow14', 'OpenFlow15'];

function protocolOf(options: OfctlOptions): string {
  const protocol = options.protocol ?? 'OpenFlow14';
  if (!PROTOCOLS.includes(protocol)) throw new InvalidSpecError('ovs-ofctl options', [{ path: '/protocol', message: `must be one of ${PROTOCOLS.join(', ')}` }]);
  return protocol;
}

/** Checks the bridge and every line; throws InvalidSpecError listing each bad line by index. */
function linesToStdin(what: string, bridge: unknown, lines: readonly unknown[]): { bridge: string; stdin: string } {
  const p = new Problems();
  const name = p.take(['bridge'], checkBridgeName(bridge));
  if (!Array.isArray(lines) || lines.length === 0) p.add(['lines'], 'must be a non-empty array of lines');
  else lines.forEach((line, i) => p.take(['lines', i], checkFlowLine(line)));
  p.throwIfAny(what);
  return { bridge: name as string, stdin: (lines as string[]).join('\n') + '\n' };
}

/**
 * `ovs-ofctl -O OpenFlow14 --bundle add-flows BRIDGE -`: all lines in one atomic bundle, in order.
 * Lines may start with `add`, `modify`, `delete`, `modify_strict` or `delete_strict`, which is how
 * a chain update replaces its old flows make-before-break in a single transaction.
 */
export function addFlows(bridge: string, flows: readonly string[], options: OfctlOptions = {}): OfctlInvocation {
  const protocol = protocolOf(options);
  const checked = linesToStdin('flow bundle', bridge, flows);
  return { file: 'ovs-ofctl', args: ['-O', protocol, '--bundle', 'add-flows', checked.bridge, '-'], stdin: checked.stdin };
}

/** `ovs-ofctl -O OpenFlow14 --bundle add-groups BRIDGE -` (e.g. select groups of scaled chain hops). */
export function addGroups(bridge: string, groups: readonly string[], options: OfctlOptions = {}): OfctlInvocation {
  const protocol = protocolOf(options);
  const checked = linesToStdin('group bundle', bridge, groups);
  return { file: 'ovs-ofctl', args: ['-O', protocol, '--bundle', 'add-groups', checked.bridge, '-'], stdin: checked.stdin };
}

/** The `cookie=0x…/-1` match of exactly one cookie (a chain's flows). */
export function cookieMatch(cookie: bigint): string {
  return `cookie=${formatOpenFlowCookie(cookie)}/-1`;
}

/** Deletes every flow carrying `cookie`, atomically. */
export function deleteFlowsByCookie(bridge: string, cookie: bigint, options: OfctlOptions = {}): OfctlInvocation {
  const protocol = protocolOf(options);
  const name = unwrap('bridge name', checkBridgeName(bridge));
  unwrap('OpenFlow cookie', checkOpenFlowCookie(cookie));
  return { file: 'ovs-ofctl', args: ['-O', protocol, '--bundle', 'del-flows', name, cookieMatch(cookie)] };
}

/** Lists the flows carrying `cookie`, without counters (stable output to compare with what we rendered). */
export function dumpFlowsByCookie(bridge: string, cookie: bigint, options: OfctlOptions = {}): OfctlInvocation {
  const protocol = protocolOf(options);
  const name = unwrap('bridge name', checkBridgeName(bridge));
  unwrap('OpenFlow cookie', checkOpenFlowCookie(cookie));
  return { file: 'ovs-ofctl', args: ['-O', protocol, '--no-stats', 'dump-flows', name, cookieMatch(cookie)] };
}
