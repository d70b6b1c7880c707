import { randomUUID } from 'node:crypto';
import { desiredPorts } from '../driver/ensure-plan.js';
import { mapObject, optional, type OvsdbRow } from '../driver/ovsdb-rows.js';
import { findPortsByNameOps, findPortsOps, interfaceStatusOp, portsToRemoveOps } from '../driver/port-queries.js';
import { type FoundPort, type InterfaceStatus, OvsError, type SwitchDriver } from '../driver/switch-driver.js';
import { createVhostUserClientPortOps, type VhostUserClientPortSpec } from '../port-ops.js';

export type FakeSwitchCall =
  | { method: 'ensureVhostUserPorts'; specs: VhostUserClientPortSpec[] }
  | { method: 'removePorts'; bridge: string; names: string[] }
  | { method: 'findPorts'; externalIds: Record<string, string> }
  | { method: 'findPortsByName'; names: string[] }
  | { method: 'interfaceStatus'; name: string }
  | { method: 'close' };

interface FakePort {
  /** The rows the real driver would insert: equal rows mean an identical port. */
  rows: string;
  found: FoundPort;
  status: InterfaceStatus;
}

/** How vswitchd shows a vhost-user client port whose socket no QEMU serves yet. */
const WAITING_FOR_QEMU: InterfaceStatus = { status: { mode: 'client', status: 'disconnected' }, linkState: 'down' };

/**
 * An in-memory switch for the lifecycle pipeline's unit tests. It refuses the same input as
 * OvsdbSwitchDriver (same checks), keeps, replaces and removes ports by the same rules, and is
 * all-or-nothing like an OVSDB transaction: a failing call changes nothing.
 */
export class FakeSwitchDriver implements SwitchDriver {
  readonly calls: FakeSwitchCall[] = [];
  private readonly bridges: Set<string>;
  private readonly ports = new Map<string, FakePort>();
  private readonly failures = new Map<'ensure' | 'remove', Error>();
  private nextOfport = 1;

  constructor({ bridges = ['br-int'] }: { bridges?: string[] } = {}) {
    this.bridges = new Set(bridges);
  }

  /** The next call of that kind throws `error` after checking its input, and changes nothing. */
  failNext(operation: 'ensure' | 'remove', error: Error = new OvsError('injected failure')): void {
    this.failures.set(operation, error);
  }

  /** What QEMU serving the socket (or going away) does to the interface's status. */
  setInterfaceStatus(name: string, status: InterfaceStatus): void {
    const port = this.ports.get(name);
    if (!port) throw new Error(`no port ${name} on the fake switch`);
    port.status = structuredClone(status);
    port.found.status = { ...status.status };
  }

  /** Every port on the fake switch, by name. */
  allPorts(): FoundPort[] {
    return [...this.ports.values()].map((p) => structuredClone(p.found)).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  async ensureVhostUserPorts(specs: readonly VhostUserClientPortSpec[]): Promise<void> {
    this.calls.push({ method: 'ensureVhostUserPorts', specs: structuredClone([...specs]) });
    const desired = desiredPorts(specs);
    this.throwIfFailing('ensure');
    const missing = desired.find((d) => !this.bridges.has(d.bridge));
    if (missing) throw new OvsError('timed out', undefined, missing.ops[0]);
    for (const spec of specs) {
      const rows = JSON.stringify(createVhostUserClientPortOps(spec));
      if (this.ports.get(spec.name)?.rows !== rows) this.ports.set(spec.name, this.newPort(spec, rows));
    }
  }

  async removePorts(bridge: string, names: readonly string[]): Promise<void> {
    this.calls.push({ method: 'removePorts', bridge, names: [...names] });
    portsToRemoveOps(bridge, names);
    this.throwIfFailing('remove');
    for (const name of names) if (this.ports.get(name)?.found.bridge === bridge) this.ports.delete(name);
  }

  async findPorts(externalIds: Readonly<Record<string, string>>): Promise<FoundPort[]> {
    this.calls.push({ method: 'findPorts', externalIds: { ...externalIds } });
    findPortsOps(externalIds);
    const wanted = Object.entries(externalIds);
    return this.allPorts().filter((p) => wanted.every(([key, value]) => p.externalIds[key] === value));
  }

  async findPortsByName(names: readonly string[]): Promise<FoundPort[]> {
    this.calls.push({ method: 'findPortsByName', names: [...names] });
    findPortsByNameOps(names);
    return this.allPorts().filter((p) => names.includes(p.name));
  }

  async interfaceStatus(name: string): Promise<InterfaceStatus | undefined> {
    this.calls.push({ method: 'interfaceStatus', name });
    interfaceStatusOp(name);
    const port = this.ports.get(name);
    return port && structuredClone(port.status);
  }

  async close(): Promise<void> {
    this.calls.push({ method: 'close' });
  }

  private throwIfFailing(operation: 'ensure' | 'remove'): void {
    const error = this.failures.get(operation);
    if (!error) return;
    this.failures.delete(operation);
    throw error;
  }

  private newPort(spec: VhostUserClientPortSpec, rows: string): FakePort {
    const [, { row: iface }, { row: port }] = JSON.parse(rows) as { row: OvsdbRow }[];
    const found: FoundPort = {
      name: spec.name,
      bridge: spec.bridge,
      interfaceUuid: randomUUID(),
      externalIds: mapObject(iface.external_ids),
      options: mapObject(iface.options),
      otherConfig: mapObject(iface.other_config),
      status: { ...WAITING_FOR_QEMU.status },
      ofport: this.nextOfport++,
    };
    const vlanTag = optional<number>(port.tag);
    if (vlanTag !== undefined) found.vlanTag = vlanTag;
    return { rows, found, status: structuredClone(WAITING_FOR_QEMU) };
  }
}
