import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { OvsdbClient, readSwitchInfo, type SwitchInfo } from '#vim/ovs';
import { checkVhostUserReadiness, VswitchdFiles, type VhostUserReadiness, type VswitchdFacts } from './vhost-user-readiness.js';

const run = promisify(execFile);

/** What discovery asks of a hypervisor; implemented over virsh here, faked only in unit tests. */
export interface HypervisorProbe {
  capabilities(): Promise<string>;
  nodeInfo(): Promise<{ cells: number; cpus: number; memoryKb: number }>;
  freePages(): Promise<string>;
  nodeDevice(name: string): Promise<string>;
  /** Node device names with a capability, or null where the driver cannot list (libvirt's test driver). */
  listNodeDevices(capability: 'net'): Promise<string[] | null>;
}

/** OVSDB's facts plus whether vhost-user ports can carry packets (see vhost-user-readiness.ts). */
export type SwitchFacts = SwitchInfo & { vhostUser: VhostUserReadiness };

export interface SwitchProbe {
  read(): Promise<SwitchFacts>;
}

/**
 * virsh for what the Node binding lacks (capabilities, node devices, free pages). Arguments go
 * to execFile as an array: no shell ever sees them.
 */
export class VirshProbe implements HypervisorProbe {
  constructor(
    private readonly uri: string,
    private readonly timeoutMs = 10_000,
  ) {}

  capabilities(): Promise<string> {
    return this.virsh('capabilities');
  }

  async nodeInfo(): Promise<{ cells: number; cpus: number; memoryKb: number }> {
    const out = await this.virsh('nodeinfo');
    const field = (label: string) => Number(new RegExp(`^${label}:\\s+(\\d+)`, 'm').exec(out)?.[1] ?? 0);
    return { cells: field('NUMA cell\\(s\\)'), cpus: field('CPU\\(s\\)'), memoryKb: field('Memory size') };
  }

  freePages(): Promise<string> {
    return this.virsh('freepages', '--all');
  }

  nodeDevice(name: string): Promise<string> {
    return this.virsh('nodedev-dumpxml', '--', name);
  }

  async listNodeDevices(capability: 'net'): Promise<string[] | null> {
    try {
      return (await this.virsh('nodedev-list', '--cap', capability)).split('\n').map((l) => l.trim()).filter(Boolean);
    } catch {
      return null;
    }
  }

  private async virsh(...args: string[]): Promise<string> {
    try {
      const { stdout } = await run('virsh', ['-c', this.uri, ...args], { timeout: this.timeoutMs, maxBuffer: 16 * 1024 * 1024 });
      return stdout;
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr?.trim();
      throw new Error(`virsh ${args[0]} on ${this.uri} failed: ${stderr || (error as Error).message}`);
    }
  }
}

/**
 * OVSDB over JSON-RPC: one connection per discovery; then, where ovs-vswitchd runs on this
 * machine, its process and log for vhost-user readiness.
 */
export class OvsdbSwitchProbe implements SwitchProbe {
  constructor(
    private readonly remote: string,
    private readonly vswitchd: VswitchdFacts = new VswitchdFiles(),
  ) {}

  async read(): Promise<SwitchFacts> {
    const client = await OvsdbClient.connect(this.remote);
    let info: SwitchInfo;
    try {
      info = await readSwitchInfo(client);
    } finally {
      client.close();
    }
    const vhostUser = await checkVhostUserReadiness({ dpdkInitialized: info.dpdkInitialized, ovsdbRemote: this.remote, vswitchd: this.vswitchd });
    return { ...info, vhostUser };
  }
}
