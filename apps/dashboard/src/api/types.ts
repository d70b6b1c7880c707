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

export type HopInstanceCount = S.HopInstanceCountView;
export type ChainCounters = S.ChainCountersView;
export type ServiceChainView = S.ServiceChainView;
export type ServiceChainPage = S.ServiceChainPage;
export type ChainTraceHop = S.ChainTraceHopView;
export type ChainTraceResult = S.ChainTraceView;
