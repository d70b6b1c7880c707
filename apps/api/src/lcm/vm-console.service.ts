import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { consoleLogPath } from '#vim/lcm';
import { readConsoleTail } from '#vim/libvirt';
import { VduInstanceEntity } from '#vim/persistence';
import { isUuid, ProblemException } from '../common/problem.js';
import type { VmConsoleView } from './lcm.views.js';
import { VnfInstanceCatalogue } from './vnf-instance-catalogue.service.js';

/**
 * A VM's serial console, read from the file virtlogd keeps on its host. The api reads it directly,
 * as the worker reads and writes the image folder: the host's imageDir must be reachable from here
 * (this machine, or shared storage). Only the file's last bytes are read (readConsoleTail).
 */
@Injectable()
export class VmConsoles {
  constructor(
    private readonly instances: VnfInstanceCatalogue,
    @InjectRepository(VduInstanceEntity) private readonly vms: Repository<VduInstanceEntity>,
  ) {}

  async tail(tenantId: string, instanceId: string, vmId: string, lines: number): Promise<VmConsoleView> {
    const vm = await this.find(tenantId, instanceId, vmId);
    const path = consoleLogPath(vm.host.imageDir, vm.id);
    return { vmId: vm.id, path, ...(await readConsoleTail(path, lines)) };
  }

  /** The instance's VM with its host, or 404: an unknown VM, a VM of another instance, and another tenant's look the same. */
  private async find(tenantId: string, instanceId: string, vmId: string): Promise<VduInstanceEntity & { host: { imageDir: string } }> {
    // The instance lookup is tenant-scoped; VMs have no tenant of their own and are reached only through it.
    const instance = await this.instances.find(tenantId, instanceId);
    const vm = isUuid(vmId) ? await this.vms.findOne({ where: { id: vmId, vnfInstanceId: instance.id }, relations: { host: true } }) : null;
    if (!vm?.host) throw ProblemException.notFound(`VM '${vmId}' of VNF instance '${instanceId}'`);
    return vm as VduInstanceEntity & { host: { imageDir: string } };
  }
}
