import type { ChainPoint, ChainTraceRequest, Classifier, CreateChainRequest, Hop, PortRange, ServiceChainView, UpdateChainRequest, VnfInstanceView } from '../api/types.js';
import { sameHops } from './chain-graph.js';

/** The chain builder's state. Number fields hold a number, or the raw text when it is not an integer (sent as is for the API to refuse with the field's pointer). */
export interface Draft {
  name: string;
  description: string;
  ingress: ChainPoint;
  egress: ChainPoint;
  classifier: Classifier;
  hops: Hop[];
  symmetric: boolean;
  failMode: 'closed' | 'open';
  priority: number;
}

export const emptyDraft = (): Draft => ({
  name: '',
  description: '',
  ingress: { host: '', bridge: 'br-int' },
  egress: { host: '', bridge: 'br-int' },
  classifier: { ethertype: 'ipv4' },
  hops: [],
  symmetric: false,
  failMode: 'closed',
  priority: 0,
});

export const fromView = (c: ServiceChainView): Draft => ({
  name: c.name,
  description: c.description ?? '',
  ingress: c.ingress,
  egress: c.egress,
  classifier: c.classifier,
  hops: c.hops,
  symmetric: c.symmetric,
  failMode: c.failMode === 'open' ? 'open' : 'closed',
  priority: c.priority,
});

/**
 * A number field's text as the API takes it: '' (after trimming) is left out (undefined), an
 * integer is a number, anything else ('tcp', '1.5', '10x') is kept as the text so that the API
 * refuses it (400 with the field's pointer) instead of the field being dropped, which would
 * widen the chain (any protocol, untagged).
 */
export function numberOrText(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return /^-?\d+$/.test(t) ? Number(t) : (t as unknown as number);
}

const present = (v: unknown): boolean => v !== undefined && v !== '';

/** A point with empty fields left out (what the API takes). */
export function cleanPoint(point: ChainPoint): ChainPoint {
  return Object.fromEntries(Object.entries(point).filter(([, v]) => present(v))) as ChainPoint;
}

/** A classifier with empty fields left out; a field that is not a number stays for the API to refuse. */
export function cleanClassifier(c: Classifier): Classifier {
  return Object.fromEntries(Object.entries(c).filter(([, v]) => present(v))) as unknown as Classifier;
}

/**
 * One end of a classifier's port range typed: the range with that end set. An end left empty
 * takes its bound (0 or 65535); both ends empty is no range at all.
 */
export function portRange(r: PortRange | undefined, part: 'from' | 'to', text: string): PortRange | undefined {
  const value = numberOrText(text);
  const other = part === 'from' ? r?.to : r?.from;
  if (value === undefined && other === undefined) return undefined;
  return { from: r?.from ?? 0, to: r?.to ?? 65535, [part]: value ?? (part === 'from' ? 0 : 65535) };
}

/** POST /service_chains' body. */
export function createRequest(draft: Draft): CreateChainRequest {
  return {
    name: draft.name,
    ...(draft.description && { description: draft.description }),
    ingress: cleanPoint(draft.ingress),
    egress: cleanPoint(draft.egress),
    classifier: cleanClassifier(draft.classifier),
    hops: draft.hops,
    symmetric: draft.symmetric,
    failMode: draft.failMode,
    priority: draft.priority,
  };
}

/** PATCH /service_chains/{id}'s body: only what the draft changed of the chain. */
export function chainPatch(before: Draft, draft: Draft): UpdateChainRequest {
  const classifier = cleanClassifier(draft.classifier);
  return {
    ...(!sameHops(before.hops, draft.hops) && { hops: draft.hops }),
    ...(JSON.stringify(cleanClassifier(before.classifier)) !== JSON.stringify(classifier) && { classifier }),
    ...(before.symmetric !== draft.symmetric && { symmetric: draft.symmetric }),
    ...(before.failMode !== draft.failMode && { failMode: draft.failMode }),
    ...(before.priority !== draft.priority && { priority: draft.priority }),
    ...(before.description !== draft.description && { description: draft.description }),
  };
}

/** The trace form's fields, as typed. */
export interface TraceDraft {
  ethertype: 'ipv4' | 'ipv6';
  source: string;
  destination: string;
  protocol: string;
  sourcePort: string;
  destinationPort: string;
}

const PORT_PROTOCOLS = new Set([6, 17, 132]);

/** POST /service_chains/{id}/trace's body: ports only for TCP, UDP and SCTP; text that is not an integer is sent as is for the API to refuse. */
export function traceRequest(form: TraceDraft): ChainTraceRequest {
  const protocol = numberOrText(form.protocol);
  const ports = typeof protocol === 'number' && PORT_PROTOCOLS.has(protocol);
  const sourcePort = numberOrText(form.sourcePort);
  const destinationPort = numberOrText(form.destinationPort);
  return {
    ethertype: form.ethertype,
    source: form.source,
    destination: form.destination,
    protocol: protocol as number,
    ...(ports && sourcePort !== undefined && { sourcePort }),
    ...(ports && destinationPort !== undefined && { destinationPort }),
  };
}

/** An instance's ext-cpds: those it is bound by, else those its VMs' ports name. */
export const extCpdsOf = (i: VnfInstanceView): string[] => {
  const bound = Object.keys(i.instantiatedVnfInfo?.extCpBindings ?? {});
  if (bound.length) return bound;
  const ports = i.instantiatedVnfInfo?.vnfcResourceInfo.flatMap((vm) => vm.ports.map((p) => String(p.extCpdId ?? ''))) ?? [];
  return [...new Set(ports.filter(Boolean))];
};
