import {
  type HostFacts, type InstantiateParams, type LaunchSpec, launchSpec, type PlannedVm, planVms,
} from '#vim/lcm';
import type { PlaceItem, PlaceResult } from '#vim/placement-queue';
import { vmIdFor } from './ids.js';
import type { LcmDrivers } from './lcm-drivers.js';
import { invalidRequestProblem, StepError, type VmLabel } from './problem.js';
import type { HostRecord, InstanceRecord, LcmStore, OpRecord, OpSnapshot, StepWrites, VmChanges, VmRecord } from './records.js';

/** Places VMs and claims their resources (the worker's placement, in-process); answers in item order. */
export interface Placer {
  place(items: readonly PlaceItem[]): Promise<PlaceResult[]>;
}

export interface PipelineServices {
  store: LcmStore;
  drivers: LcmDrivers;
  placer: Placer;
}

export interface PlannedVmWithId extends PlannedVm {
  id: string;
}

/** A VM's host and what was (or will be) made for it there, derived from the claims its holder row has. */
export interface VmSite {
  vmId: string;
  host: HostRecord;
  /** Undefined when the VM is not in the instance's plan, or its launch cannot be derived: nothing of it was made then. */
  spec?: LaunchSpec;
}

/** What one step of one operation works with; read once per step run, so nothing is stale after a crash. */
export class OpContext {
  private planned?: PlannedVmWithId[];
  private readonly facts = new Map<string, Promise<HostFacts>>();
  private readonly vmChanges = new Map<string, VmChanges>();
  private instantiated?: InstantiateParams | null;
  private wrote = false;

  constructor(
    private readonly snapshot: OpSnapshot,
    private readonly services: PipelineServices,
  ) {}

  get op(): OpRecord {
    return this.snapshot.op;
  }

  get instance(): InstanceRecord {
    return this.snapshot.instance;
  }

  /**
   * A change to a VM row, written with the step's progress (one statement, see LcmStore.updateOp).
   * A crash before that write makes the step run again, which redoes its work and records it again.
   */
  recordVm(id: string, changes: VmChanges): void {
    this.vmChanges.set(id, { ...this.vmChanges.get(id), ...changes });
  }

  /** The instance's new instantiation (null: NOT_INSTANTIATED), written with the step's progress like recordVm's changes. */
  recordInstantiated(params: InstantiateParams | null): void {
    this.instantiated = params;
  }

  get recorded(): StepWrites {
    return this.instantiated === undefined ? { vms: this.vmChanges } : { vms: this.vmChanges, instantiated: this.instantiated };
  }

  /**
   * What the next step would read, when this step changed nothing but what it recorded with
   * recordVm: it never reached for the store or the placer (so its writes cannot be missed).
   */
  nextSnapshot(op: OpRecord): OpSnapshot | undefined {
    if (this.wrote || this.instantiated !== undefined) return undefined;
    const vms = this.snapshot.vms.map((vm) => ({ ...vm, ...this.vmChanges.get(vm.id) }));
    return { ...this.snapshot, op, vms };
  }

  /** For writes other than recordVm's. */
  get store(): LcmStore {
    this.wrote = true;
    return this.services.store;
  }

  get placer(): Placer {
    this.wrote = true;
    return this.services.placer;
  }

  get drivers(): LcmDrivers {
    return this.services.drivers;
  }

  /** INSTANTIATE plans from its request; the later operations from what the instance was instantiated with. */
  params(): InstantiateParams {
    if (this.op.operation === 'INSTANTIATE') return this.op.params as unknown as InstantiateParams;
    if (this.instance.params === null) throw new StepError(invalidRequestProblem(this.op.currentStep ?? '', `VNF instance ${this.instance.id} is not instantiated`));
    return this.instance.params;
  }

  /** The instance's VMs as planned, each with its derived id. */
  plan(): PlannedVmWithId[] {
    this.planned ??= planVms(this.instance.vnfd, this.params(), this.instance.id).map((vm) => ({ ...vm, id: vmIdFor(this.instance.id, vm) }));
    return this.planned;
  }

  plannedVm(vmId: string): PlannedVmWithId | undefined {
    return this.plan().find((vm) => vm.id === vmId);
  }

  /** The instance's VM rows as the step run found them, in plan order; rows outside the plan (heal holders) last. */
  async vms(): Promise<VmRecord[]> {
    return this.inPlanOrder([...this.snapshot.vms]);
  }

  /** Creates the rows not there yet (their ids derive from the plan); vms() includes them from then on. */
  async addVms(rows: readonly Pick<VmRecord, 'id' | 'vnfInstanceId' | 'vduId'>[]): Promise<void> {
    this.snapshot.vms.push(...(await this.store.addVms(rows)));
  }

  private inPlanOrder(rows: VmRecord[]): VmRecord[] {
    // No rows, no plan needed: the undo of a request that could not be planned has nothing to do.
    if (rows.length === 0) return rows;
    const order = new Map(this.plan().map((vm, i) => [vm.id, i]));
    const rank = (vm: VmRecord) => order.get(vm.id) ?? order.size;
    return rows.sort((a, b) => rank(a) - rank(b));
  }

  /** The VM for messages: its host's name from the claims the step run found. */
  label(vm: Pick<VmRecord, 'id' | 'vduId'>): VmLabel {
    return { id: vm.id, vduId: vm.vduId, hostName: this.snapshot.sites.get(vm.id)?.host.name };
  }

  /**
   * Where VM `vmId` runs, by the claims of `holderId` (the VM's own row, or the row holding its old
   * host while it heals). `teardown`: a launch that cannot be derived leaves `spec` out instead of
   * throwing; launchSpec is pure, so such a launch failed the same way when it was built, and made nothing.
   * The claims are those the step run found: no step reads a site after changing claims (placing,
   * parking or releasing is where a step ends its work on that VM).
   */
  async site(vmId: string, holderId = vmId, { teardown = false } = {}): Promise<VmSite | undefined> {
    const held = this.snapshot.sites.get(holderId);
    if (!held) return undefined;
    const { placement, host } = held;
    const planned = this.plannedVm(vmId);
    if (!planned) return { vmId, host };
    const ids = { vnfInstanceId: this.instance.id, vnfInstanceName: this.instance.name ?? this.instance.id, vduInstanceId: vmId };
    const facts = await this.hostFacts(host);
    try {
      return { vmId, host, spec: launchSpec(planned, ids, placement, facts) };
    } catch (error) {
      if (teardown) return { vmId, host };
      throw error;
    }
  }

  /** The site of a VM that is being built: it must be placed and planned. */
  async buildSite(vm: VmRecord): Promise<Required<VmSite> & { planned: PlannedVmWithId }> {
    const site = await this.site(vm.id);
    const planned = this.plannedVm(vm.id);
    if (!site?.spec || !planned) throw new Error(site ? 'the VM is not in the instance plan' : 'the VM holds no placement');
    return { ...site, spec: site.spec, planned };
  }

  private hostFacts(host: HostRecord): Promise<HostFacts> {
    let facts = this.facts.get(host.id);
    if (!facts) {
      const { name, vhostSocketDir, imageDir, disabledCpuFeatures, virtType } = host;
      const domainType = virtType === 'auto' ? this.drivers.domainType(host) : Promise.resolve(virtType);
      facts = domainType.then((type) => ({ name, domainType: type, vhostSocketDir, imageDir, disabledCpuFeatures }));
      this.facts.set(host.id, facts);
    }
    return facts;
  }
}
