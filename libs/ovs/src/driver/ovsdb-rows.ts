/**
 * Reading OVSDB's JSON notation (RFC 7047 5.1): a set of exactly one element is sent as the bare
 * element, an optional column as an empty set, and map entries in the server's order.
 */
export type OvsdbRow = Record<string, unknown>;

export function setItems(value: unknown): unknown[] {
  return Array.isArray(value) && value[0] === 'set' ? (value[1] as unknown[]) : [value];
}

/** The value of an optional (min 0, max 1) column, or undefined when it is empty. */
export function optional<T>(value: unknown): T | undefined {
  return setItems(value)[0] as T | undefined;
}

export function mapObject(value: unknown): Record<string, string> {
  return Array.isArray(value) && value[0] === 'map' ? Object.fromEntries(value[1] as [string, string][]) : {};
}

export function uuidOf(value: unknown): string {
  return (value as ['uuid', string])[1];
}

export const uuidsOf = (value: unknown): string[] => setItems(value).map(uuidOf);

/** One form per value, so a row read back compares equal to the row we would write. */
function canonical(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  if (value[0] === 'map') return Object.entries(mapObject(value)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (value[0] === 'set') {
    const items = (value[1] as unknown[]).map(canonical);
    return items.length === 1 ? items[0] : items.map((item) => JSON.stringify(item)).sort();
  }
  return value;
}

export function sameValue(a: unknown, b: unknown): boolean {
  const empty = (v: unknown) => v === undefined || (Array.isArray(v) && v[0] === 'set' && (v[1] as unknown[]).length === 0);
  if (empty(a) || empty(b)) return empty(a) && empty(b);
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

export function rowsOf(result: unknown): OvsdbRow[] {
  return (result as { rows: OvsdbRow[] }).rows;
}

/** Every bridge with its ports: a Port has no column naming its bridge. */
export const ALL_BRIDGES_OP = { op: 'select', table: 'Bridge', where: [], columns: ['name', 'ports'] };

/** Port UUID to bridge name, from the rows of ALL_BRIDGES_OP. */
export function bridgeOfPort(bridges: readonly OvsdbRow[]): Map<string, string> {
  return new Map(bridges.flatMap((b) => uuidsOf(b.ports).map((uuid): [string, string] => [uuid, b.name as string])));
}
