// ovs-appctl ofproto/trace answers captured on OvS 3.1.0 (netdev bridge), shared by the trace specs.

/** from port 3: chain rule output:2 */
export const TRACE_OUTPUT_TO_PORT = `Flow: udp,in_port=3,vlan_tci=0x0000,dl_src=00:00:00:00:00:00,dl_dst=00:00:00:00:00:00,nw_src=10.9.0.1,nw_dst=10.9.0.2,nw_tos=0,nw_ecn=0,nw_ttl=0,nw_frag=no,tp_src=40000,tp_dst=5201

bridge("brtr27510")
-------------------
 0. in_port=3, priority 100, cookie 0xc4a100010001
    output:2

Final flow: unchanged
Megaflow: recirc_id=0,eth,ip,in_port=3,nw_frag=no
Datapath actions: 4
`;
