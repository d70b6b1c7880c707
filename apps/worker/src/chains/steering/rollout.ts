import { type BridgeRules, type ChainFacts, isChainGroupId, isNetworkPoint, renderChain, type ServiceChain } from '#vim/chains';
import {
  deleteChainBundle, deleteChainGenerationsBundle, type FlowInstaller, flowDrift, generationFlowLines, groupDrift, groupIdOf, installChainBundle,
  MAX_GENERATION,
} from '#vim/ovs';
import { UnreachableSwitchError } from '../problem.js';
import { cachesGroups } from './pass-drivers.js';
import type { ChainDrivers, ChainRecord, HostSwitch, InstalledRules } from '../records.js';

/** One bridge's rules of one generation, and the host it is on. */
export interface PlacedRules extends BridgeRules {
  host: string;
}

export interface Rendering {
  generation: number;
  bridges: PlacedRules[];
}

export interface Drift {
  missingFlows: number;
  extraFlows: number;
  missingGroups: number;
  extraGroups: number;
}

export const driftTotal = (d: Drift) => d.missingFlows + d.extraFlows + d.missingGroups + d.extraGroups;

/** Generations are 16 bits and 0 means "nothing installed yet": after the last comes 1 again. */
export const nextGeneration = (generation: number) => (generation >= MAX_GENERATION ? 1 : generation + 1);

const generationOf = (line: string): number | undefined => {
  const m = /(?:^|[\s,])cookie=(0x[0-9a-f]+)/i.exec(line);
  return m ? Number(BigInt(m[1]!) & 0xffffn) : undefined;
};

function ingressHost(spec: ServiceChain, facts: ChainFacts): string {
  const end = spec.ingress;
  return isNetworkPoint(end) ? end.host : facts.instances[end.vnfInstanceId]?.ports[end.cpdId]?.host ?? '';
}

/** The chain's rules at `generation`; throws InvalidSpecError when the chain cannot be rendered. */
export function renderAt(spec: ServiceChain, cookie: bigint, generation: number, facts: ChainFacts): Rendering {
  const host = ingressHost(spec, facts);
  // A renderer that places rules on several hosts says where (`host`); until then they are the ingress's.
  const bridges = renderChain(spec, cookie, generation, facts).map((rules) => ({ ...rules, host: (rules as { host?: string }).host ?? host }));
  return { generation, bridges };
}

const key = (host: string, bridge: string) => `${host}\u0000${bridge}`;

/**
 * Installs and reads back a chain's rules on the switches the worker drives. Every switch the
 * change touches must be drivable before anything is sent, so a chain is never half moved.
 */
export class Rollout {
  constructor(
    private readonly drivers: ChainDrivers,
    private readonly hosts: ReadonlyMap<string, HostSwitch>,
  ) {}

  private installer(hostName: string): FlowInstaller {
    const host = this.hosts.get(hostName);
    if (!host) throw new UnreachableSwitchError(hostName, 'no such registered host');
    const installer = this.drivers.installer(host);
    if (!installer) throw new UnreachableSwitchError(hostName, host.ovsdbRemote);
    return installer;
  }

  /**
   * Installs `next` make-before-break on each of its bridges, then removes the chain from the
   * bridges it left. Answers where the rules now are.
   */
  async install(chain: ChainRecord, next: Rendering): Promise<InstalledRules[]> {
    const kept = new Set(next.bridges.map((b) => key(b.host, b.bridge)));
    const left = chain.installed.filter((i) => !kept.has(key(i.host, i.bridge)));
    for (const place of [...next.bridges, ...left]) this.installer(place.host);
    for (const rules of next.bridges) await this.installOn(chain, rules, next.generation);
    for (const place of left) await this.removeFrom(chain.cookie, place);
    return next.bridges.map((b) => ({ host: b.host, bridge: b.bridge, generation: next.generation }));
  }

  private async installOn(chain: ChainRecord, rules: PlacedRules, generation: number): Promise<void> {
    const installer = this.installer(rules.host);
    // What is about to be replaced must be read as it is now, not as a refresh pass saw it earlier.
    if (cachesGroups(installer)) installer.forgetGroups(rules.bridge);
    const newGroups = new Set(rules.groups.map((g) => groupIdOf(g)!));
    const heldGroups = await this.chainGroups(installer, rules.bridge, chain.cookie);
    const heldGenerations = new Set((await installer.dumpChainFlows(rules.bridge, chain.cookie)).map(generationOf).filter((g) => g !== undefined));
    const recorded = chain.installed.find((i) => i.host === rules.host && i.bridge === rules.bridge)?.generation;
    const previous = recorded !== undefined && heldGenerations.has(recorded) && recorded !== generation ? recorded : [...heldGenerations].filter((g) => g !== generation).at(-1);
    // Leftovers (other generations, groups in the way of the new ids) go first: they carry no traffic the chain wants.
    const staleGenerations = [...heldGenerations].filter((g) => g !== previous);
    const inTheWay = heldGroups.filter((id) => newGroups.has(id));
    if (staleGenerations.length + inTheWay.length > 0) {
      await installer.install(rules.bridge, deleteChainGenerationsBundle(rules.bridge, chain.cookie, staleGenerations, inTheWay));
    }
    const oldGroups = heldGroups.filter((id) => !newGroups.has(id));
    const bundle = installChainBundle(
      rules.bridge,
      chain.cookie,
      { generation, flows: rules.flows, groups: rules.groups },
      previous === undefined && oldGroups.length === 0 ? undefined : { generation: previous ?? ((generation + MAX_GENERATION - 1) % (MAX_GENERATION + 1)), groupIds: oldGroups },
    );
    await installer.install(rules.bridge, bundle);
  }

  private async removeFrom(cookie: bigint, place: { host: string; bridge: string }): Promise<void> {
    const installer = this.installer(place.host);
    await installer.install(place.bridge, deleteChainBundle(place.bridge, cookie, await this.chainGroups(installer, place.bridge, cookie)));
  }

  /** Removes the chain from every bridge it was installed on. */
  async remove(chain: ChainRecord): Promise<void> {
    for (const place of chain.installed) this.installer(place.host);
    for (const place of chain.installed) await this.removeFrom(chain.cookie, place);
  }

  private async chainGroups(installer: FlowInstaller, bridge: string, cookie: bigint): Promise<number[]> {
    return (await installer.dumpGroups(bridge)).map(groupIdOf).filter((id): id is number => id !== undefined && isChainGroupId(cookie, id));
  }

  /** How the switches differ from `expected` (the rendering at the installed generation), bridges the chain left included. */
  async drift(chain: ChainRecord, expected: Rendering): Promise<Drift> {
    const drift: Drift = { missingFlows: 0, extraFlows: 0, missingGroups: 0, extraGroups: 0 };
    const places = new Map<string, { host: string; bridge: string; rules?: PlacedRules }>();
    for (const i of chain.installed) places.set(key(i.host, i.bridge), { host: i.host, bridge: i.bridge });
    for (const b of expected.bridges) places.set(key(b.host, b.bridge), { host: b.host, bridge: b.bridge, rules: b });
    for (const place of places.values()) {
      const installer = this.installer(place.host);
      const flows = flowDrift(
        await installer.dumpChainFlows(place.bridge, chain.cookie),
        place.rules ? generationFlowLines(chain.cookie, { generation: expected.generation, flows: place.rules.flows, groups: place.rules.groups }) : [],
      );
      let groups = await this.groupDrift(installer, place.bridge, chain.cookie, place.rules?.groups ?? []);
      // A dump shared by a whole refresh pass may predate another worker's change of this chain: ask again before calling it drift.
      if (groups.missing.length + groups.extra.length > 0 && cachesGroups(installer)) {
        installer.forgetGroups(place.bridge);
        groups = await this.groupDrift(installer, place.bridge, chain.cookie, place.rules?.groups ?? []);
      }
      drift.missingFlows += flows.missing.length;
      drift.extraFlows += flows.extra.length;
      drift.missingGroups += groups.missing.length;
      drift.extraGroups += groups.extra.length;
    }
    return drift;
  }

  private async groupDrift(installer: FlowInstaller, bridge: string, cookie: bigint, expected: readonly string[]) {
    const dumped = await installer.dumpGroups(bridge);
    const held = dumped.map(groupIdOf).filter((id): id is number => id !== undefined && isChainGroupId(cookie, id));
    return groupDrift(dumped, expected, held);
  }

  /** The chain's flow lines with statistics, per bridge it is installed on. */
  async flowStats(chain: Pick<ChainRecord, 'cookie' | 'installed'>): Promise<{ host: string; bridge: string; lines: string[] }[]> {
    const out: { host: string; bridge: string; lines: string[] }[] = [];
    for (const place of chain.installed) {
      out.push({ host: place.host, bridge: place.bridge, lines: await this.installer(place.host).dumpChainFlowStats(place.bridge, chain.cookie) });
    }
    return out;
  }
}
