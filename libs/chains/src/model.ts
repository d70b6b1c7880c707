/**
 * A service chain as the API takes it, and the facts rendering needs about the instances it
 * crosses. Plain data: the API validates the shape, `checkChain` the meaning, `renderChain` turns
 * a chain that passed into OpenFlow lines.
 */

export type Ethertype = 'ipv4' | 'ipv6';

/** An inclusive L4 port range; `{ from: 80, to: 80 }` is one port. */
export interface PortRange {
  from: number;
  to: number;
}

/** What traffic enters the chain. Absent fields match anything. */
export interface Classifier {
  ethertype: Ethertype;
  /** CIDR of the ethertype's family, host bits zero (`10.0.0.0/8`, `2001:db8::/32`). */
  sourcePrefix?: string;
  destinationPrefix?: string;
  /** IP protocol number (IPv4 protocol, IPv6 next header). */
  protocol?: number;
  /** Only with protocol 6 (TCP), 17 (UDP) or 132 (SCTP). */
  sourcePorts?: PortRange;
  destinationPorts?: PortRange;
}

/** A network as the lifecycle binds it: a bridge on a host, optionally one VLAN of it. */
export interface NetworkPoint {
  /** The host's registered name. */
  host: string;
  bridge: string;
  vlan?: number;
  /**
   * The OvS port (interface name) where the network's traffic meets the bridge: the uplink, or
   * the port of what sits on the network. The worker reads its OpenFlow port number and whether
   * it is an access port (`tag=`) from the switch.
   */
  port?: string;
}

/** A VNF instance's external connection point. */
export interface ConnectionPoint {
  vnfInstanceId: string;
  cpdId: string;
}

export type ChainPoint = NetworkPoint | ConnectionPoint;

export function isNetworkPoint(point: ChainPoint): point is NetworkPoint {
  return 'bridge' in point;
}

/** One instance of a hop: the ext-cpd facing the ingress side and the one facing the egress side. */
export interface HopInstance {
  vnfInstanceId: string;
  ingressCpd: string;
  egressCpd: string;
}

/** One hop: one or more instances sharing its traffic (flows hashed over them). */
export interface ChainHop {
  instances: HopInstance[];
}

/** closed: a hop without a live instance drops the chain's traffic; open: the traffic skips it. */
export type FailMode = 'closed' | 'open';

export interface ServiceChain {
  name: string;
  ingress: ChainPoint;
  egress: ChainPoint;
  classifier: Classifier;
  hops: ChainHop[];
  /** The reverse traffic (source and destination swapped) crosses the hops backwards. */
  symmetric: boolean;
  /** Default 'closed'. */
  failMode?: FailMode;
  /** 0..MAX_CHAIN_PRIORITY, default 0; decides between overlapping classifiers on one ingress. */
  priority?: number;
}

/** A port as the lifecycle made it. */
export interface PortFacts {
  host: string;
  bridge: string;
  ofport: number;
  kind: 'vhostuser' | 'sriov';
  /**
   * The port's access VLAN (`tag=`), if any. Rendering ignores it: OpenFlow sees an access
   * port's frames untagged and `output:` sends them as they are, so frames to and from such a
   * port are untagged in the chain's flows (README of this library).
   */
  vlan?: number;
}

export interface InstanceFacts {
  /** The instance's instantiation state as stored ('INSTANTIATED', 'NOT_INSTANTIATED', ...). */
  state: string;
  /** Its VMs run and its ports are up: traffic may be sent to it. */
  live: boolean;
  /** Ports by ext-cpd id. */
  ports: Readonly<Record<string, PortFacts>>;
}

/**
 * Where a network point's traffic meets the bridge. `ofport` is the port it arrives on and leaves
 * by (required, except for the ingress of a non-symmetric chain on a VLAN, which may match the VLAN
 * on any port). `tagged` (default: true when the point has a VLAN) says that frames on that port
 * carry the VLAN's 802.1Q header (a trunk); false means an access port, whose frames OpenFlow
 * sees untagged.
 */
export interface NetworkFacts {
  ofport?: number;
  tagged?: boolean;
}

/**
 * A tunnel port on the chain's bridge of one host towards another host: a VXLAN (or Geneve) port
 * with `options:remote_ip=<the other host>` and `options:key=flow`, so that the flows set the key
 * of each frame (`set_field:<key>->tun_id`) and match it on arrival (`tun_id=<key>`); a port with
 * a fixed key would carry one key only and the receiving host could not tell the hops apart.
 * The same port sends to the other host and receives from it.
 */
export interface TunnelFacts {
  ofport: number;
}

export interface ChainFacts {
  /** By VNF instance id: every hop instance, and the instance of a connection-point end. */
  instances: Readonly<Record<string, InstanceFacts>>;
  /** For a network ingress or egress. */
  ingress?: NetworkFacts;
  egress?: NetworkFacts;
  /**
   * By host, then by the other host: the tunnel port on the host's chain bridge towards the other
   * host. Needed on both sides of every pair of hosts the chain's traffic crosses between; a chain
   * on one host needs none.
   */
  tunnels?: Readonly<Record<string, Readonly<Record<string, TunnelFacts>>>>;
}

/** Flow priority = FLOW_PRIORITY_BASE + chain priority: above the bridge's NORMAL flow (priority 0). */
export const FLOW_PRIORITY_BASE = 32768;
export const MAX_CHAIN_PRIORITY = 32767;

export const L4_PROTOCOLS: Readonly<Record<number, 'tcp' | 'udp' | 'sctp'>> = { 6: 'tcp', 17: 'udp', 132: 'sctp' };
