/**
 * `npm run demo`: a newcomer watches the product move packets through a real VNF. Talks to the
 * running api over HTTP only, as any client would; the traffic goes between two namespaces this
 * program makes on br-int. Everything it adds (host row, image copy, descriptors, instances,
 * namespaces) it removes again, in reverse order, also when a step fails.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { withOwnVnfdId } from '../support/descriptors.js';
import { addressOf, createEndpoint, type Endpoint, firstReplyMs, ping, portCounters, removeEndpoint, tcpConnects, udpDelivered } from '../support/traffic.js';

const API = process.env.DEMO_API ?? 'http://127.0.0.1:3000';
const TOKEN = readFileSync(process.env.DEMO_TOKEN_FILE ?? '.local/admin-token', 'utf8').trim();
const IMAGE_FILE = process.env.DEMO_IMAGE ?? '.local/vnf-image/vnf-forwarder.qcow2';
const PAUSE_MS = Number(process.env.DEMO_PAUSE_MS ?? 1500);
const BRIDGE = 'br-int';
const OVSDB = 'unix:/var/run/openvswitch/db.sock';
const ENDS: [Endpoint, Endpoint] = [
  { ns: 'vim-demo-a', port: 'vimdemoa', cidr: '10.79.1.1/24', vlan: 3201 },
  { ns: 'vim-demo-b', port: 'vimdemob', cidr: '10.79.1.2/24', vlan: 3202 },
];

const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const pause = () => new Promise((r) => setTimeout(r, PAUSE_MS));
const undo: { what: string; run: () => Promise<unknown> | unknown }[] = [];

async function chapter(title: string): Promise<void> {
  if (interrupted) throw new Error('interrupted');
  console.log(`\n${bold(`== ${title}`)}`);
  await pause();
}
const say = (line: string) => console.log(`   ${line}`);

async function call(method: string, path: string, body?: unknown, type = 'application/json'): Promise<any> {
  say(`${method} ${path}`);
  const res = await fetch(`${API}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined && { 'content-type': type }) },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  const json = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return { status: res.status, location: res.headers.get('location'), body: json };
}

/** Polls an operation, printing each step as it starts, until it ends. */
async function follow(location: string): Promise<Record<string, any>> {
  const path = new URL(location, API).pathname;
  let last = '';
  for (;;) {
    const op = (await fetch(`${API}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } }).then((r) => r.json())) as Record<string, any>;
    const now = `${op.operationState}${op.currentStep ? ` (${op.currentStep})` : ''}`;
    if (now !== last) say(`   operation ${now}`);
    last = now;
    if (['COMPLETED', 'FAILED_TEMP', 'FAILED', 'ROLLED_BACK'].includes(op.operationState)) return op;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** This machine as a host: the row the operator registered, or one the demo registers and later removes. */
async function thisMachine(): Promise<{ id: string; imageDir: string }> {
  const { items } = (await call('GET', '/api/v1/hosts?limit=200')).body as { items: { id: string; name: string; libvirtUri: string; imageDir: string }[] };
  const known = items.find((h) => h.libvirtUri === 'qemu:///system');
  if (known) {
    say(`this machine is already registered as host '${known.name}'`);
    return known;
  }
  const created = (await call('POST', '/api/v1/hosts', { name: `demo-${hostname()}`.slice(0, 63).toLowerCase(), libvirtUri: 'qemu:///system', ovsdbRemote: OVSDB, virtType: 'qemu' })).body;
  undo.push({ what: 'host', run: () => call('DELETE', `/api/v1/hosts/${created.id}`) });
  for (let i = 0; i < 60 && (await call('GET', `/api/v1/hosts/${created.id}`)).body.state !== 'UP'; i++) await new Promise((r) => setTimeout(r, 500));
  say(`registered this machine as host '${created.name}'; discovery found it UP (virtType qemu: TCG, as on any machine)`);
  return created;
}

function placeImage(imageDir: string): void {
  const target = join(imageDir, 'vnf-forwarder.qcow2');
  if (existsSync(target)) return say(`the image is already in the host's image folder: ${target}`);
  mkdirSync(imageDir, { recursive: true });
  copyFileSync(IMAGE_FILE, target);
  undo.push({ what: 'image copy', run: () => rmSync(target, { force: true }) });
  say(`copied ${IMAGE_FILE} to ${target} (the name its descriptor's sw-image-desc gives)`);
}

async function onboard(fixture: string): Promise<string> {
  const text = withOwnVnfdId(readFileSync(join('test/fixtures/vnfds', fixture), 'utf8'), `demo-${process.pid}`);
  const { body } = await call('POST', '/api/v1/vnfds', text, 'application/yaml');
  undo.push({ what: `descriptor ${fixture}`, run: () => call('DELETE', `/api/v1/vnfds/${body.id}`) });
  say(`onboarded ${fixture}: ${body.id}`);
  return body.id;
}

async function instantiate(vnfdId: string, name: string): Promise<{ id: string; vm: Record<string, any> }> {
  const instance = (await call('POST', '/api/v1/vnf_instances', { vnfdId, vnfInstanceName: name })).body;
  undo.push({ what: `instance ${name}`, run: () => removeInstance(instance.id) });
  const started = Date.now();
  const bindings = { left: { bridge: BRIDGE, vlan: ENDS[0].vlan }, right: { bridge: BRIDGE, vlan: ENDS[1].vlan } };
  const accepted = await call('POST', `/api/v1/vnf_instances/${instance.id}/instantiate`, { flavourId: 'default', extCpBindings: bindings });
  const op = await follow(accepted.location);
  if (op.operationState !== 'COMPLETED') throw new Error(`instantiate ended ${op.operationState}: ${JSON.stringify(op.error)}`);
  say(`instantiated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const vm = (await call('GET', `/api/v1/vnf_instances/${instance.id}`)).body.instantiatedVnfInfo.vnfcResourceInfo[0];
  say(`VM ${vm.domainName} on host ${vm.hostName}, NUMA cell ${vm.numaCell}, ports ${vm.ports.map((p: any) => `${p.name} (VLAN ${p.vlan})`).join(', ')}`);
  return { id: instance.id, vm };
}

async function terminate(instanceId: string): Promise<void> {
  const accepted = await call('POST', `/api/v1/vnf_instances/${instanceId}/terminate`, { terminationType: 'FORCEFUL' });
  await follow(accepted.location);
}

/** Terminated first when a failed step left it running: an instantiated instance cannot be deleted. */
async function removeInstance(instanceId: string): Promise<void> {
  if ((await call('GET', `/api/v1/vnf_instances/${instanceId}`)).body.instantiationState === 'INSTANTIATED') await terminate(instanceId);
  await call('DELETE', `/api/v1/vnf_instances/${instanceId}`);
}

async function firstPacket(): Promise<void> {
  say('the guest boots (under TCG this takes a few seconds); pinging until it forwards...');
  const ms = await firstReplyMs(ENDS[0], addressOf(ENDS[1]), 120_000);
  if (ms === undefined) throw new Error('no packet crossed the VM within 120 s');
  say(`first packet through after ${(ms / 1000).toFixed(1)} s`);
}

const counters = (vm: Record<string, any>) =>
  vm.ports.map((p: any) => {
    const c = portCounters(BRIDGE, p.name);
    return `${p.name}: into VM ${c.txPackets}, out of VM ${c.rxPackets}`;
  });

async function main(): Promise<void> {
  await chapter('1. This machine as a host, and the VNF image in its image folder');
  const host = await thisMachine();
  placeImage(host.imageDir);

  await chapter('2. Two namespaces on br-int, A in VLAN 3201 and B in VLAN 3202: they cannot reach each other');
  for (const end of ENDS) {
    createEndpoint(BRIDGE, end);
    undo.push({ what: `namespace ${end.ns}`, run: () => removeEndpoint(BRIDGE, end) });
    say(`namespace ${end.ns}: ${end.cidr} on OvS port ${end.port}, VLAN ${end.vlan}`);
  }
  say(`ping A -> B: ${await ping(ENDS[0], addressOf(ENDS[1]), 3)}/3 replies`);

  await chapter('3. Onboard the forwarder and the firewall descriptors (SOL006 YAML)');
  const forwarderVnfd = await onboard('vnf-forwarder-vnfd.yaml');
  const firewallVnfd = await onboard('vnf-firewall-vnfd.yaml');

  await chapter('4. Instantiate the forwarder: its ext-cpds "left" and "right" in VLANs 3201 and 3202');
  const forwarder = await instantiate(forwarderVnfd, 'demo-forwarder');
  await firstPacket();
  say(`ping A -> B: ${await ping(ENDS[0], addressOf(ENDS[1]), 10)}/10 replies`);
  say(`UDP A -> B port 5201: ${await udpDelivered(ENDS[0], ENDS[1], 5201, 100)}/100 datagrams arrived`);
  for (const line of counters(forwarder.vm)) say(line);
  const console = (await call('GET', `/api/v1/vnf_instances/${forwarder.id}/vms/${forwarder.vm.id}/console?lines=200`)).body;
  say("the guest's serial console (its own lines, from the API):");
  for (const line of console.lines.filter((l: string) => l.startsWith('vnf-forwarder:'))) say(`   | ${line}`);

  await chapter('5. Terminate the forwarder: the path is gone');
  await terminate(forwarder.id);
  say(`ping A -> B: ${await ping(ENDS[0], addressOf(ENDS[1]), 3)}/3 replies`);

  await chapter('6. The firewall variant: same image, day-0 configuration "drop: udp/5201 tcp/5201"');
  const firewall = await instantiate(firewallVnfd, 'demo-firewall');
  await firstPacket();
  say(`UDP to port 5201 (blocked): ${await udpDelivered(ENDS[0], ENDS[1], 5201, 100)}/100 arrived`);
  say(`UDP to port 5301: ${await udpDelivered(ENDS[0], ENDS[1], 5301, 100)}/100 arrived`);
  say(`TCP to port 5201 (blocked): ${(await tcpConnects(ENDS[0], ENDS[1], 5201)) ? 'connected' : 'no connection'}`);
  say(`TCP to port 5301: ${(await tcpConnects(ENDS[0], ENDS[1], 5301)) ? 'connected' : 'no connection'}`);
  await terminate(firewall.id);
}

async function cleanUp(): Promise<void> {
  await chapter('Leaving the system as it was');
  for (const step of undo.reverse()) {
    try {
      await step.run();
      say(`removed ${step.what}`);
    } catch (error) {
      say(`could not remove ${step.what}: ${(error as Error).message}`);
    }
  }
}

// Ctrl-C: stop walking, but still put everything back.
let interrupted = false;
process.once('SIGINT', () => {
  interrupted = true;
  console.error('\nInterrupted: cleaning up first.');
});

let failed = false;
try {
  await main();
} catch (error) {
  failed = true;
  console.error(`\nThe demo stopped: ${(error as Error).message}`);
} finally {
  await cleanUp();
}
process.exitCode = failed ? 1 : 0;
