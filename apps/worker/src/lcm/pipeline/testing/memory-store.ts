import type { Placement } from '#vim/placement';
import type { HostRecord, InstanceRecord, LcmStore, OpChanges, OpRecord, OpSnapshot, StepWrites, VmRecord } from '../records.js';

/** LcmStore over Maps, for unit tests: what Postgres would hold, claims included. */
export class MemoryLcmStore implements LcmStore {
  readonly ops = new Map<string, OpRecord>();
  readonly instances = new Map<string, InstanceRecord>();
  readonly rows = new Map<string, VmRecord>();
  /** Claims per VM row, as placement wrote them. */
  readonly claims = new Map<string, Placement>();
  readonly hosts = new Map<string, HostRecord>();

  async updateOp(opId: string, changes: OpChanges, writes: StepWrites = { vms: new Map() }): Promise<OpRecord> {
    for (const [id, vm] of writes.vms) Object.assign(this.rows.get(id)!, structuredClone(vm));
    if (writes.instantiated !== undefined) {
      const instance = this.instances.get(this.ops.get(opId)!.vnfInstanceId)!;
      Object.assign(instance, { instantiated: writes.instantiated !== null, params: structuredClone(writes.instantiated) });
    }
    const op = { ...this.ops.get(opId)!, ...structuredClone(changes) };
    this.ops.set(opId, op);
    return structuredClone(op);
  }

  async snapshot(opId: string): Promise<OpSnapshot | undefined> {
    const op = this.ops.get(opId);
    if (!op) return undefined;
    const vms = [...this.rows.values()].filter((vm) => vm.vnfInstanceId === op.vnfInstanceId);
    const sites = new Map(vms.filter((vm) => this.claims.has(vm.id)).map((vm) => {
      const placement = this.claims.get(vm.id)!;
      return [vm.id, { placement, host: this.hosts.get(placement.hostId)! }];
    }));
    return structuredClone({ op, instance: this.instances.get(op.vnfInstanceId)!, vms, sites });
  }

  async addVms(vms: readonly Pick<VmRecord, 'id' | 'vnfInstanceId' | 'vduId'>[]): Promise<VmRecord[]> {
    const added = vms.filter((vm) => !this.rows.has(vm.id));
    for (const vm of added) this.rows.set(vm.id, { ...vm, hostId: null, numaCell: null, state: 'PENDING', domainName: null, domainUuid: null, ports: [], powerState: null });
    return structuredClone(added.map((vm) => this.rows.get(vm.id)!));
  }

  async removeVm(id: string): Promise<void> {
    this.claims.delete(id);
    this.rows.delete(id);
  }

  async parkVm(vmId: string, holderId: string): Promise<void> {
    const vm = this.rows.get(vmId)!;
    if (this.rows.has(holderId) || vm.hostId === null) return;
    this.rows.set(holderId, { ...structuredClone(vm), id: holderId, state: 'DELETING', domainName: null, domainUuid: vmId });
    this.claims.set(holderId, this.claims.get(vmId)!);
    this.claims.delete(vmId);
    Object.assign(vm, { hostId: null, numaCell: null, state: 'PENDING', ports: [] });
  }

  /** What placement writes when it claims: the claims, and the VM's host and cell. */
  claim(vmId: string, placement: Placement): void {
    this.claims.set(vmId, structuredClone(placement));
    Object.assign(this.rows.get(vmId)!, { hostId: placement.hostId, numaCell: placement.cellId, state: 'PLACED' });
  }
}
