import { type BridgeRules, type ChainFacts, isChainGroupId, isNetworkPoint, renderChain, type ServiceChain } from '#vim/chains';
import {
  deleteChainBundle, deleteChainGenerationsBundle, type FlowInstaller, flowDrift, generationFlowLines, groupDrift, groupIdOf, installChainBundle,
  MAX_GENERATION,
} from '#vim/ovs';
import { UnreachableSwitchError } from '../problem.js';
import { cachesDumps } from './pass-drivers.js';
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

/**
 * `wanted`, or the first generation after it that is not held and shares no group-id field
 * (generation mod 16) with a held one. At most 16 + held steps.
 */
export function freeGeneration(wanted: number, held: readonly number[]): number {
  const taken = new Set(held.map((g) => g % 16));
  let generation = wanted;
  for (let i = 0; i < 16 + held.length && (held.includes(generation) || taken.has(generation % 16)); i++) generation = nextGeneration(generation);
  return generation;
}

/** Every bridge a chain may have rules on: those recorded in `installed`, the network ends' and every port's bridge its facts name. */
export function chainPlaces(chain: Pick<ChainRecord, 'installed' | 'spec' | 'facts'>): { host: string; bridge: string; recorded: boolean }[] {
  const places = new Map<string, { host: string; bridge: string; recorded: boolean }>();
  const add = (host: string, bridge: string, recorded: boolean) => {
    const k = key(host, bridge);
    if (!places.has(k) || recorded) places.set(k, { host, bridge, recorded });
  };
  for (const i of chain.installed) add(i.host, i.bridge, true);
  for (const end of [chain.spec.ingress, chain.spec.egress]) if (end && isNetworkPoint(end)) add(end.host, end.bridge, false);
  for (const instance of Object.values(chain.facts?.instances ?? {})) {
    for (const port of Object.values(instance.ports ?? {})) if (port?.host && port.bridge) add(port.host, port.bridge, false);
  }
  return [...places.values()];
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
   * Renders the chain at a new generation and installs it make-before-break on each of its
   * bridges, then removes the chain from the bridges it left. Answers the generation and where
   * the rules now are.
   *
   * The generation is the one after the chain's, unless the switches hold it already (a worker
   * that died after a bundle and before recording it leaves generation + 1 live): then the next
   * one no bridge holds, nor any held generation's group ids (generation mod 16), so the new
   * rules never meet live ones of their own cookie or group ids, and every generation held is
   * deleted in the bundle that adds the new one, never before.
   */
  async install(chain: ChainRecord, render: (generation: number) => Rendering): Promise<{ generation: number; installed: InstalledRules[] }> {
    let next = render(nextGeneration(chain.generation));
    const kept = new Set(next.bridges.map((b) => key(b.host, b.bridge)));
    const left = chain.installed.filter((i) => !kept.has(key(i.host, i.bridge)));
    for (const place of [...next.bridges, ...left]) this.installer(place.host);
    const held = new Map<string, Set<number>>();
    for (const rules of next.bridges) {
      const installer = this.installer(rules.host);
      // What is about to be replaced must be read as it is now, not as a refresh pass saw it earlier.
      if (cachesDumps(installer)) installer.forget(rules.bridge);
      const flows = await installer.dumpChainFlows(rules.bridge, chain.cookie);
      held.set(key(rules.host, rules.bridge), new Set(flows.map(generationOf).filter((g) => g !== undefined)));
    }
    const generation = freeGeneration(next.generation, [...held.values()].flatMap((s) => [...s]));
    if (generation !== next.generation) next = render(generation);
    for (const rules of next.bridges) await this.installOn(chain, rules, next.generation, held.get(key(rules.host, rules.bridge)) ?? new Set());
    for (const place of left) await this.removeFrom(chain.cookie, place);
    return { generation: next.generation, installed: next.bridges.map((b) => ({ host: b.host, bridge: b.bridge, generation: next.generation })) };
  }

  private async installOn(chain: ChainRecord, rules: PlacedRules, generation: number, heldGenerations: ReadonlySet<number>): Promise<void> {
    const installer = this.installer(rules.host);
    if (cachesDumps(installer)) installer.forget(rules.bridge);
    const newGroups = new Set(rules.groups.map((g) => groupIdOf(g)!));
    const heldGroups = await this.chainGroups(installer, rules.bridge, chain.cookie);
    const recorded = chain.installed.find((i) => i.host === rules.host && i.bridge === rules.bridge)?.generation;
    const others = [...heldGenerations].filter((g) => g !== generation);
    const previous = recorded !== undefined && others.includes(recorded) ? recorded : others.at(-1);
    // Groups in the way of the new ids go first: no held generation has the new ids' generation
    // field (freeGeneration), so no live flow points at them. Every held generation's flows go in
    // the bundle that adds the new ones.
    const inTheWay = heldGroups.filter((id) => newGroups.has(id));
    if (inTheWay.length > 0) await installer.install(rules.bridge, deleteChainGenerationsBundle(rules.bridge, chain.cookie, [], inTheWay));
    const oldGroups = heldGroups.filter((id) => !newGroups.has(id));
    const bundle = installChainBundle(
      rules.bridge,
      chain.cookie,
      { generation, flows: rules.flows, groups: rules.groups },
      previous === undefined && oldGroups.length === 0
        ? undefined
        : {
            generation: previous ?? ((generation + MAX_GENERATION - 1) % (MAX_GENERATION + 1)),
            groupIds: oldGroups,
            otherGenerations: others.filter((g) => g !== previous),
          },
    );
    await installer.install(rules.bridge, bundle);
  }

  /** `keepGroups`: the groups of the chain's field are another live chain's (ids.ts), only the cookie's flows go. */
  private async removeFrom(cookie: bigint, place: { host: string; bridge: string }, keepGroups = false): Promise<void> {
    const installer = this.installer(place.host);
    await installer.install(place.bridge, deleteChainBundle(place.bridge, cookie, keepGroups ? [] : await this.chainGroups(installer, place.bridge, cookie)));
  }

  /**
   * Removes every rule of the chain's cookie (and its groups) from every bridge it may have rules
   * on (`chainPlaces`): a crash after a bundle and before its record leaves rules that `installed`
   * does not name. The recorded bridges must be drivable; the others are skipped when this worker
   * cannot drive their switch (it never installed there).
   */
  async remove(chain: Pick<ChainRecord, 'cookie' | 'installed' | 'spec' | 'facts'>, options: { keepGroups?: boolean } = {}): Promise<void> {
    const places = chainPlaces(chain);
    for (const place of places) if (place.recorded) this.installer(place.host);
    for (const place of places) {
      if (!place.recorded && !this.drivable(place.host)) continue;
      await this.removeFrom(chain.cookie, place, options.keepGroups);
    }
  }

  private drivable(hostName: string): boolean {
    const host = this.hosts.get(hostName);
    return host !== undefined && this.drivers.installer(host) !== undefined;
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
      const expectedFlows = place.rules ? generationFlowLines(chain.cookie, { generation: expected.generation, flows: place.rules.flows, groups: place.rules.groups }) : [];
      const measure = async () => ({
        flows: flowDrift(await installer.dumpChainFlows(place.bridge, chain.cookie), expectedFlows),
        groups: await this.groupDrift(installer, place.bridge, chain.cookie, place.rules?.groups ?? []),
      });
      let found = await measure();
      // Dumps shared by a whole refresh pass may predate another worker's change of this chain: ask again before calling it drift.
      if (found.flows.missing.length + found.flows.extra.length + found.groups.missing.length + found.groups.extra.length > 0 && cachesDumps(installer)) {
        installer.forget(place.bridge);
        found = await measure();
      }
      drift.missingFlows += found.flows.missing.length;
      drift.extraFlows += found.flows.extra.length;
      drift.missingGroups += found.groups.missing.length;
      drift.extraGroups += found.groups.extra.length;
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
