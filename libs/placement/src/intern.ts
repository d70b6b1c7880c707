// Physnet names and hugepage sizes become small integers so the fleet table can keep one column per
// physnet / page size and plugins read counts by array index instead of Map lookups. Both tables
// grow only with distinct physnets and page sizes (a handful per deployment). Requests intern too:
// a request can name a physnet before any host that has it was loaded; it then finds 0 VFs.

const physnets = new Map<string, number>();
const pageSizes = new Map<number, number>();
const pageSizeById: number[] = [];

export function physnetId(name: string): number {
  let id = physnets.get(name);
  if (id === undefined) {
    id = physnets.size;
    physnets.set(name, id);
  }
  return id;
}

export function pageSizeId(sizeKb: number): number {
  let id = pageSizes.get(sizeKb);
  if (id === undefined) {
    id = pageSizeById.length;
    pageSizes.set(sizeKb, id);
    pageSizeById.push(sizeKb);
  }
  return id;
}

export function pageSizeOf(id: number): number {
  return pageSizeById[id]!;
}
