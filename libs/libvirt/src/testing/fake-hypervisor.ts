import { randomUUID } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  type DomainRef, type DomainStatus, type HypervisorDriver, LibvirtError, type LibvirtOperation,
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
}

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

  constructor(readonly uri = 'test:///fake') {}

  /** The next call of `operation` throws `error` (by default a LibvirtError) and changes nothing; calls queue up. */
  failNext(operation: FailableOperation, error?: Error): void {
    this.failures.set(operation, [...(this.failures.get(operation) ?? []), error]);
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
    if (domain.state === 'shutoff') domain.state = 'running';
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

  async close(): Promise<void> {
    this.enter({ operation: 'close' });
  }

  private powerOff(name: string): void {
    const domain = this.domains.get(name);
    if (!domain) return;
    domain.state = 'shutoff';
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
