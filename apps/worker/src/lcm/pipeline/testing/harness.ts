import { randomUUID } from 'node:crypto';
import type { VnfdModel } from '#vim/descriptors';
import type { InstantiateParams, LcmEvent, OpAction, VmStateEvent } from '#vim/lcm';
import type { FoundPort } from '#vim/ovs';
import { LcmPipeline, type StepJob } from '../pipeline.js';
import type { HostRecord, Operation, OpRecord } from '../records.js';
import { FakeLcmDrivers } from './fake-drivers.js';
import { FakePlacer } from './fake-placer.js';
import { MemoryLcmStore } from './memory-store.js';

export const host = (name: string): HostRecord => ({
  id: randomUUID(),
  name,
  libvirtUri: `test:///${name}`,
  ovsdbRemote: `unix:/run/${name}/db.sock`,
  vhostSocketDir: `/run/${name}/vhost`,
  imageDir: `/images/${name}`,
  disabledCpuFeatures: [],
  virtType: 'auto',
});

/** One VDU `fw` with a VIRTIO and an SR-IOV port, an image and cloud-init; level `two` runs two of it. */
export function firewallVnfd(): VnfdModel {
  return {
    vnfdId: 'fw',
    productName: 'fw',
    version: '1.0',
    vdus: [
      {
        id: 'fw',
        computeDescId: 'fw-compute',
        vcpus: 2,
        pinningPolicy: 'static',
        memoryMb: 1024,
        storages: [],
        interfaces: [
          { cpdId: 'fw-in', type: 'VIRTIO' },
          { cpdId: 'fw-out', type: 'SR-IOV' },
        ],
        swImage: { id: 'fw-image', image: 'fw.qcow2' },
        cloudInit: '#cloud-config\npackages: [nftables]\n',
      },
    ],
    intVirtualLinkDescs: [],
    extCpds: [
      { id: 'in', vduId: 'fw', intCpdId: 'fw-in' },
      { id: 'out', vduId: 'fw', intCpdId: 'fw-out' },
    ],
    deploymentFlavours: [
      {
        id: 'default',
        vduProfiles: [{ vduId: 'fw', minInstances: 1, maxInstances: 2 }],
        instantiationLevels: [{ id: 'two', vduLevels: [{ vduId: 'fw', instances: 2 }], scaleInfo: [] }],
        scalingAspects: [],
      },
    ],
  };
}

export const PARAMS: InstantiateParams = {
  flavourId: 'default',
  instantiationLevelId: 'two',
  extCpBindings: { in: { bridge: 'br-data', vlan: 100 }, out: { physnet: 'sriov-a' } },
};

/** The pipeline over a memory store, fake drivers and a fake placer, with one instance of firewallVnfd on host h1. */
export class LcmHarness {
  readonly store = new MemoryLcmStore();
  readonly drivers = new FakeLcmDrivers();
  readonly events: LcmEvent[] = [];
  readonly vmEvents: VmStateEvent[] = [];
  readonly hostA = host('h1');
  readonly placer = new FakePlacer(this.store, this.hostA.id);
  readonly pipeline = new LcmPipeline({
    store: this.store,
    drivers: this.drivers,
    placer: this.placer,
    events: { publish: async (event) => void ('kind' in event ? this.vmEvents.push(event) : this.events.push(event)) },
  });
  readonly instanceId = randomUUID();

  constructor() {
    this.store.hosts.set(this.hostA.id, this.hostA);
    this.drivers.images.addBase(`${this.hostA.imageDir}/fw.qcow2`);
    this.store.instances.set(this.instanceId, { id: this.instanceId, tenantId: randomUUID(), name: 'edge fw', vnfd: firewallVnfd(), instantiated: false, params: null });
  }

  addHost(name: string): HostRecord {
    const added = host(name);
    this.store.hosts.set(added.id, added);
    this.drivers.images.addBase(`${added.imageDir}/fw.qcow2`);
    return added;
  }

  addOp(operation: Operation, params: object = PARAMS): string {
    const id = randomUUID();
    const op: OpRecord = {
      id,
      tenantId: this.store.instances.get(this.instanceId)!.tenantId,
      vnfInstanceId: this.instanceId,
      operation,
      state: 'STARTING',
      stateEnteredTime: new Date(),
      currentStep: null,
      params: { ...params },
      error: null,
      timings: {},
      cancelPending: false,
    };
    this.store.ops.set(id, op);
    return id;
  }

  /** The operator's (or the API's) action, asked for now. */
  async act(opId: string, action: OpAction): Promise<StepJob | undefined> {
    const op = this.store.ops.get(opId)!;
    const begun = await this.pipeline.begin(opId, action, new Date(Math.max(Date.now(), op.stateEnteredTime.getTime() + 1)));
    return begun?.job;
  }

  /**
   * Runs the action and every step job it leads to, as the worker would (the action's job runs
   * the step it made due, from what it applied the action to); returns the jobs run.
   */
  async drive(opId: string, action: OpAction = 'start'): Promise<StepJob[]> {
    const op = this.store.ops.get(opId)!;
    const begun = await this.pipeline.begin(opId, action, new Date(Math.max(Date.now(), op.stateEnteredTime.getTime() + 1)));
    const ran: StepJob[] = [];
    let job = begun?.job;
    if (job && begun?.applied) {
      ran.push(job);
      job = await this.pipeline.run(job, begun.applied);
    }
    for (; job; job = await this.pipeline.run(job)) ran.push(job);
    return ran;
  }

  op(opId: string): OpRecord {
    return this.store.ops.get(opId)!;
  }

  async instantiated(): Promise<string> {
    const opId = this.addOp('INSTANTIATE');
    await this.drive(opId);
    if (this.op(opId).state !== 'COMPLETED') throw new Error(`instantiate ended ${this.op(opId).state}: ${this.op(opId).error?.detail}`);
    return opId;
  }

  async domains(): Promise<string[]> {
    const names = await Promise.all([...this.drivers.hypervisors.values()].map((h) => h.listDomainNames('vim-')));
    return names.flat().sort();
  }

  ports(): FoundPort[] {
    return [...this.drivers.switches.values()].flatMap((s) => s.allPorts());
  }

  vmIds(): string[] {
    return [...this.store.rows.keys()].sort();
  }
}
