import { randomUUID } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  type DomainRef, type DomainStatus, type HypervisorDriver, LibvirtError, type LibvirtOperation, type PowerState,
} from '../driver/hypervisor-driver.js';

export type FailableOperation = 'define' | 'start' | 'shutdown' | 'destroy' | 'undefine';

export interface FakeCall {
  operation: Exclude<LibvirtOperation, 'connect'>;
  name?: string;
  timeoutMs?: number;
}

interface FakeDomain {
  uuid: string;
  xml: string;
  state: 'running' | 'shutoff' | 'paused';
  /** An undefined domain that still runs is transient, as in libvirt: it goes away when it stops. */
  persistent: boolean;
  /** What the guest did after start, when it did not simply run (a KVM internal error pauses it, say). */
  fate?: GuestFate;
}

/** How a started guest ends up, as libvirt would report it, and what its QEMU log says. */
export interface GuestFate {
  power: PowerState;
  log?: string[];
}

const USUAL_STATES: Record<FakeDomain['state'], PowerState> = {
  // As the real driver: the reason of a guest that is up is not looked up.
  running: { state: 'RUNNING' },
  paused: { state: 'PAUSED', reason: 'user' },
  shutoff: { state: 'SHUTOFF', reason: 'destroyed' },
};

const FATE_STATES: Record<string, FakeDomain['state']> = { PAUSED: 'paused', SHUTOFF: 'shutoff', CRASHED: 'shutoff' };

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false });

/** `<name>` and `<uuid>` of a domain document, or undefined when it is not one. */
function identify(xml: string): { name: string; uuid?: string } | undefined {
  if (XMLValidator.validate(xml) !== true) return undefined;
  const domain = (parser.parse(xml) as { domain?: { name?: unknown; uuid?: unknown } }).domain;
  if (typeof domain?.name !== 'string' || domain.name === '') return undefined;
  return { name: domain.name, uuid: typeof domain.uuid === 'string' ? domain.uuid : undefined };
}

/**
 * In-memory HypervisorDriver for unit tests of the lifecycle: it keeps the interface's no-op
 * rules, records every call in order, and fails the next call of an operation on demand. A guest
 * always obeys ACPI here, so shutdownDomain never waits.
 */
export class FakeHypervisorDriver implements HypervisorDriver {
  readonly calls: FakeCall[] = [];
  private readonly domains = new Map<string, FakeDomain>();
  private readonly failures = new Map<FailableOperation, (Error | undefined)[]>();
  private readonly fates: GuestFate[] = [];

  constructor(readonly uri = 'test:///fake') {}

  /** The next call of `operation` throws `error` (by default a LibvirtError) and changes nothing; calls queue up. */
  failNext(operation: FailableOperation, error?: Error): void {
    this.failures.set(operation, [...(this.failures.get(operation) ?? []), error]);
  }

  /** The next domain started stops at once in this state (as a guest on a failing nested KVM does); calls queue up. */
  failNextGuest(fate: GuestFate): void {
    this.fates.push(fate);
  }

  /** The guest of a defined domain changes state by itself (libvirt pauses it, it crashes); the log stays as it was. */
  setGuest(name: string, power: PowerState): void {
    const domain = this.domains.get(name);
    if (!domain) throw new Error(`no domain ${name}`);
    domain.fate = { ...domain.fate, power };
    domain.state = FATE_STATES[power.state] ?? 'running';
  }

  async defineDomain(xml: string): Promise<DomainRef> {
    const parsed = identify(xml);
    this.enter({ operation: 'define', name: parsed?.name });
    if (!parsed) throw this.error('define', undefined, 'XML is not a domain with a name');
    const existing = this.domains.get(parsed.name);
    const uuid = parsed.uuid ?? existing?.uuid ?? randomUUID();
    const clash = [...this.domains].find(([name, d]) => (name === parsed.name) !== (d.uuid === uuid));
    if (clash) throw this.error('define', parsed.name, `domain '${clash[0]}' is already defined with uuid ${clash[1].uuid}`);
    this.domains.set(parsed.name, { uuid, xml, state: existing?.state ?? 'shutoff', persistent: true });
    return { uuid, name: parsed.name };
  }

  async startDomain(name: string): Promise<void> {
    this.enter({ operation: 'start', name });
    const domain = this.domains.get(name);
    if (!domain) throw this.error('start', name, 'domain not found');
    if (domain.state !== 'shutoff') return;
    const fate = this.fates.shift();
    domain.fate = fate;
    domain.state = fate ? (FATE_STATES[fate.power.state] ?? 'running') : 'running';
  }

  async shutdownDomain(name: string, timeoutMs: number): Promise<void> {
    this.enter({ operation: 'shutdown', name, timeoutMs });
    this.powerOff(name);
  }

  async destroyDomain(name: string): Promise<void> {
    this.enter({ operation: 'destroy', name });
    this.powerOff(name);
  }

  async undefineDomain(name: string): Promise<void> {
    this.enter({ operation: 'undefine', name });
    const domain = this.domains.get(name);
    if (domain?.state === 'shutoff') this.domains.delete(name);
    else if (domain) domain.persistent = false;
  }

  async lookupDomain(name: string): Promise<DomainStatus | undefined> {
    this.enter({ operation: 'lookup', name });
    const domain = this.domains.get(name);
    return domain && { uuid: domain.uuid, name, state: domain.state };
  }

  async domainXml(name: string): Promise<string | undefined> {
    this.enter({ operation: 'xml', name });
    return this.domains.get(name)?.xml;
  }

  async listDomainNames(prefix: string): Promise<string[]> {
    this.enter({ operation: 'list' });
    return [...this.domains.keys()].filter((name) => name.startsWith(prefix)).sort();
  }

  async powerState(name: string): Promise<PowerState | undefined> {
    this.enter({ operation: 'state', name });
    return this.stateOf(name);
  }

  async powerStates(names: readonly string[]): Promise<Map<string, PowerState>> {
    this.enter({ operation: 'state' });
    const states = new Map<string, PowerState>();
    for (const name of names) {
      const state = this.stateOf(name);
      if (state) states.set(name, state);
    }
    return states;
  }

  async qemuLogTail(name: string, lines: number): Promise<string[] | undefined> {
    return this.domains.get(name)?.fate?.log?.slice(-lines);
  }

  async close(): Promise<void> {
    this.enter({ operation: 'close' });
  }

  private stateOf(name: string): PowerState | undefined {
    const domain = this.domains.get(name);
    if (!domain) return undefined;
    return domain.fate?.power ?? { ...USUAL_STATES[domain.state] };
  }

  private powerOff(name: string): void {
    const domain = this.domains.get(name);
    if (!domain) return;
    domain.state = 'shutoff';
    domain.fate = undefined;
    if (!domain.persistent) this.domains.delete(name);
  }

  /** Records the call, then throws the failure queued for its operation, if any. */
  private enter(call: FakeCall): void {
    this.calls.push(call);
    const queued = this.failures.get(call.operation as FailableOperation);
    if (!queued?.length) return;
    const error = queued.shift();
    throw error ?? this.error(call.operation, call.name, 'injected failure');
  }

  private error(operation: LibvirtOperation, domainName: string | undefined, libvirtMessage: string): LibvirtError {
    return new LibvirtError({ operation, uri: this.uri, domainName, libvirtMessage });
  }
}
