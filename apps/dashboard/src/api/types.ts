// The API's shapes the dashboard uses, by name: aliases of schema.ts, which `npm run api:types`
// generates from the OpenAPI document. Where the document describes a field loosely (an `example`
// instead of a schema, a description instead of a type), the field is narrowed here to what the
// API's views build (apps/api/src/**/*.views.ts); each such place says so. Nothing else is written by hand.
import type * as S from './schema.js';

export type SessionView = S.SessionView;
export type Role = S.SessionView['role'];

export type CellCapacityView = S.CellCapacityView;
export type HostView = S.HostView;
export type HostSummaryView = S.HostSummaryView;
export type HostPage = S.HostPage;

export type VnfdSummary = S.VnfdSummary;
export type VnfdPage = S.VnfdPage;
/** The document says `document: object`; the view gives { format, text }. */
export type VnfdDetail = Omit<S.VnfdDetail, 'document'> & { document: { format: string; text: string } };

export type VnfcView = S.VnfcView;
export type VnfInstanceView = S.VnfInstanceView;
export type VnfInstancePage = S.VnfInstancePage;
export type InstantiateVnfRequest = S.InstantiateVnfRequest;

/** The document says `timings: object` (an example only) and `_links: object`. */
export type LcmOpOccView = Omit<S.LcmOpOccView, 'timings' | '_links'> & {
  timings: { steps?: Record<string, number>; libvirtMs?: number; ovsdbMs?: number };
  _links: Record<string, { href: string } | undefined>;
};
export type LcmOpOccPage = Omit<S.LcmOpOccPage, 'items'> & { items: LcmOpOccView[] };

export type ChainPoint = S.ChainPointDto;
export type Classifier = S.ClassifierDto;
export type PortRange = S.PortRangeDto;
export type Hop = S.HopDto;
export type HopInstance = S.HopInstanceDto;
export type CreateChainRequest = S.CreateChainRequest;
export type UpdateChainRequest = S.UpdateChainRequest;
export type ChainTraceRequest = S.ChainTraceRequestDto;
export type ChainOpOccView = S.ChainOpOccView;
export type ChainOpOccPage = S.ChainOpOccPage;

/** The document gives `hops` as string[] (from an example); the view gives each hop's instances' counts (HopInstanceCountView). */
export interface HopInstanceCount extends S.TrafficCountView {
  vnfInstanceId: string;
  live: boolean;
}
export type ChainCounters = Omit<S.ChainCountersView, 'hops'> & { hops: { instances: HopInstanceCount[] }[] };
export type ServiceChainView = Omit<S.ServiceChainView, 'counters'> & { counters?: ChainCounters | null };
export type ServiceChainPage = Omit<S.ServiceChainPage, 'items'> & { items: ServiceChainView[] };

/**
 * POST /api/v1/service_chains/{id}/trace answers 200 with no schema in the document (only a
 * description); this is ChainTraceResult of libs/chains as that description gives it.
 */
export type ChainTraceHop = { hop: number; vnfInstanceId: string; ofport: number } | { egress: true; ofport: number };
export interface ChainTraceResult {
  chainId: string;
  generation: number;
  cookie: string;
  entersChain: boolean;
  hops: ChainTraceHop[];
  dropped: boolean;
  dropReason?: string;
  output: number[];
  rules: { bridge: string; table: number; cookie: string; priority: number; match: string; actions: string[]; ofChain: boolean }[];
}
