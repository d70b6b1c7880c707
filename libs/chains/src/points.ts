import { reverseClassifier } from './classifier.js';
import { type ChainFacts, type ChainPoint, type Classifier, isNetworkPoint, type NetworkFacts, type ServiceChain } from './model.js';

/**
 * A place where the chain's flows match arriving traffic (an in_port, or a VLAN of a bridge),
 * with the classifier they match there. Two chains, or one chain twice, matching overlapping
 * traffic at one such place could not be told apart by the switch.
 */
export interface MatchPoint {
  key: string;
  label: string;
  classifier: Classifier;
  path: (string | number)[];
}

/**
 * Without facts a network is known by its VLAN (what another chain's model says); with them, by
 * what the flows match: the port and whether frames there carry the VLAN's tag (two networks on
 * one trunk port differ, a VLAN's access port and an untagged network on one port do not).
 */
export function pointKey(point: ChainPoint, net?: NetworkFacts): { key: string; label: string } {
  if (isNetworkPoint(point)) {
    const vlan = point.vlan === undefined ? '' : ` VLAN ${point.vlan}`;
    const label = `network ${point.bridge}${vlan} on host ${point.host}`;
    if (net === undefined) return { key: `net:${point.host}/${point.bridge}/${point.vlan ?? ''}`, label };
    const tag = point.vlan !== undefined && net.tagged !== false ? `tag ${point.vlan}` : 'untagged';
    return { key: `port:${point.host}/${point.bridge}/${net.ofport ?? '*'}/${tag}`, label: `${label} (port ${net.ofport ?? 'any'}, ${tag})` };
  }
  return cpKey(point.vnfInstanceId, point.cpdId);
}

const cpKey = (vnfInstanceId: string, cpdId: string) => ({ key: `cp:${vnfInstanceId}/${cpdId}`, label: `connection point ${cpdId} of instance ${vnfInstanceId}` });

/**
 * Every match point of a chain: its ingress and hop egresses, and for a symmetric chain the reverse
 * ones. With facts, network points are keyed by what the flows match (see pointKey).
 */
export function matchPoints(chain: ServiceChain, facts?: ChainFacts): MatchPoint[] {
  const forward = chain.classifier;
  const out: MatchPoint[] = [{ ...pointKey(chain.ingress, facts && (facts.ingress ?? {})), classifier: forward, path: ['ingress'] }];
  chain.hops.forEach((hop, h) =>
    hop.instances.forEach((inst, i) => out.push({ ...cpKey(inst.vnfInstanceId, inst.egressCpd), classifier: forward, path: ['hops', h, 'instances', i, 'egressCpd'] })),
  );
  if (!chain.symmetric) return out;
  const reverse = reverseClassifier(forward);
  out.push({ ...pointKey(chain.egress, facts && (facts.egress ?? {})), classifier: reverse, path: ['egress'] });
  chain.hops.forEach((hop, h) =>
    hop.instances.forEach((inst, i) => out.push({ ...cpKey(inst.vnfInstanceId, inst.ingressCpd), classifier: reverse, path: ['hops', h, 'instances', i, 'ingressCpd'] })),
  );
  return out;
}
