import { reverseClassifier } from './classifier.js';
import { type ChainPoint, type Classifier, isNetworkPoint, type ServiceChain } from './model.js';

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

export function pointKey(point: ChainPoint): { key: string; label: string } {
  if (isNetworkPoint(point)) {
    const vlan = point.vlan === undefined ? '' : ` VLAN ${point.vlan}`;
    return { key: `net:${point.host}/${point.bridge}/${point.vlan ?? ''}`, label: `network ${point.bridge}${vlan} on host ${point.host}` };
  }
  return cpKey(point.vnfInstanceId, point.cpdId);
}

const cpKey = (vnfInstanceId: string, cpdId: string) => ({ key: `cp:${vnfInstanceId}/${cpdId}`, label: `connection point ${cpdId} of instance ${vnfInstanceId}` });

/** Every match point of a chain: its ingress and hop egresses, and for a symmetric chain the reverse ones. */
export function matchPoints(chain: ServiceChain): MatchPoint[] {
  const forward = chain.classifier;
  const out: MatchPoint[] = [{ ...pointKey(chain.ingress), classifier: forward, path: ['ingress'] }];
  chain.hops.forEach((hop, h) =>
    hop.instances.forEach((inst, i) => out.push({ ...cpKey(inst.vnfInstanceId, inst.egressCpd), classifier: forward, path: ['hops', h, 'instances', i, 'egressCpd'] })),
  );
  if (!chain.symmetric) return out;
  const reverse = reverseClassifier(forward);
  out.push({ ...pointKey(chain.egress), classifier: reverse, path: ['egress'] });
  chain.hops.forEach((hop, h) =>
    hop.instances.forEach((inst, i) => out.push({ ...cpKey(inst.vnfInstanceId, inst.ingressCpd), classifier: reverse, path: ['hops', h, 'instances', i, 'ingressCpd'] })),
  );
  return out;
}
