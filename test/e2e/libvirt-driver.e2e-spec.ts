import { afterAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hypervisor } from '@unraid/libvirt';
import { buildDomainXml, type DomainSpec, LibvirtError, UnraidHypervisorDriver } from '#vim/libvirt';
import { sampleDomainSpec, VNF_INSTANCE_ID } from '#vim/libvirt/testing';
import { domainNameFor } from '#vim/naming';

/**
 * The driver against real libvirt: the built-in test:/// driver (state lives as long as the
 * connection, no processes) and qemu:///system, where each domain is a real QEMU process (TCG).
 * Every domain of a run is named `vim-<run tag>…`, so cleanup touches no one else's.
 */
const RUN_TAG = randomUUID().slice(0, 8);
const RUN_PREFIX = `vim-${RUN_TAG}`;
/** A v4 UUID whose first group is the run's tag. */
const newUuid = () => RUN_TAG + randomUUID().slice(8);

async function removeRunDomains(driver: UnraidHypervisorDriver): Promise<void> {
  for (const name of await driver.listDomainNames(RUN_PREFIX)) {
    await driver.destroyDomain(name);
    await driver.undefineDomain(name);
  }
  await driver.close();
}

/** The fixture's pinned, NUMA-aligned VM (vhost-user, VF, hugepages): test:/// only parses it. */
function fixtureDomain() {
  const uuid = newUuid();
  const name = domainNameFor(uuid);
  return { uuid, name, xml: buildDomainXml(sampleDomainSpec({ uuid, name })) };
}

describe('UnraidHypervisorDriver on test:///default', () => {
  const driver = new UnraidHypervisorDriver('test:///default');
  afterAll(() => removeRunDomains(driver));

  test('define, start, look up, destroy, undefine', async () => {
    const { uuid, name, xml } = fixtureDomain();
    await expect(driver.defineDomain(xml)).resolves.toEqual({ uuid, name });
    await expect(driver.lookupDomain(name)).resolves.toEqual({ uuid, name, state: 'shutoff' });
    await driver.startDomain(name);
    await expect(driver.lookupDomain(name)).resolves.toEqual({ uuid, name, state: 'running' });
    expect(await driver.domainXml(name)).toMatch(/<vcpupin vcpu='1' cpuset='5'\/>/);
    await driver.destroyDomain(name);
    expect((await driver.lookupDomain(name))?.state).toBe('shutoff');
    await driver.undefineDomain(name);
    await expect(driver.lookupDomain(name)).resolves.toBeUndefined();
    await expect(driver.domainXml(name)).resolves.toBeUndefined();
  });

  test('doing a state change again, or on a missing domain, is a no-op', async () => {
    const { name, xml } = fixtureDomain();
    await driver.destroyDomain(name);
    await driver.shutdownDomain(name, 100);
    await driver.undefineDomain(name);
    await driver.defineDomain(xml);
    await driver.defineDomain(xml);
    await driver.startDomain(name);
    await driver.startDomain(name);
    await driver.shutdownDomain(name, 2000);
    await driver.shutdownDomain(name, 2000);
    expect((await driver.lookupDomain(name))?.state).toBe('shutoff');
    await driver.startDomain(name);
    await driver.destroyDomain(name);
    await driver.destroyDomain(name);
    await driver.undefineDomain(name);
    await driver.undefineDomain(name);
    await expect(driver.lookupDomain(name)).resolves.toBeUndefined();
  });

  test("power states through the binding; no reason where virsh cannot see the connection's domains", async () => {
    const { name, xml } = fixtureDomain();
    await driver.defineDomain(xml);
    expect(await driver.powerState(name)).toEqual({ state: 'SHUTOFF' });
    await driver.startDomain(name);
    expect(await driver.powerState(name)).toEqual({ state: 'RUNNING' });
    expect([...(await driver.powerStates([name, `${RUN_PREFIX}-missing`]))]).toEqual([[name, { state: 'RUNNING' }]]);
    await driver.destroyDomain(name);
    await driver.undefineDomain(name);
    expect(await driver.powerState(name)).toBeUndefined();
  });

  test("lists only the run's domains, running or not", async () => {
    const [a, b] = [fixtureDomain(), fixtureDomain()];
    await driver.defineDomain(a.xml);
    await driver.defineDomain(b.xml);
    await driver.startDomain(b.name);
    expect(await driver.listDomainNames(RUN_PREFIX)).toEqual([a.name, b.name].sort());
    expect(await driver.listDomainNames('test')).toEqual(['test']);
  });

  test('real failures are LibvirtErrors naming the operation', async () => {
    const malformed = driver.defineDomain('<domain type="qemu"><name>x');
    await expect(malformed).rejects.toBeInstanceOf(LibvirtError);
    await expect(malformed).rejects.toMatchObject({ operation: 'define', uri: 'test:///default', message: expect.stringMatching(/^libvirt define on test/) });
    const missing = fixtureDomain().name;
    await expect(driver.startDomain(missing)).rejects.toMatchObject({ name: 'LibvirtError', operation: 'start', domainName: missing });
  });
});

test('an unreachable libvirtd fails with operation connect', async () => {
  const broken = new UnraidHypervisorDriver('qemu+unix:///system?socket=/nonexistent/libvirt-sock');
  await expect(broken.lookupDomain('vim-x')).rejects.toMatchObject({ name: 'LibvirtError', operation: 'connect' });
  await broken.close();
});

test('a connection that died (as when libvirtd restarts) is opened again, and the call goes through', async () => {
  // The driver reaches libvirtd through a relay of the test's own, whose connections the test cuts
  // as a restart would. Closing the binding's connection instead is no restart: domain handles
  // that a listing made keep it open, so it stays alive whenever a VM exists on this machine.
  const relay = await libvirtRelay();
  const opened: Hypervisor[] = [];
  const driver = new UnraidHypervisorDriver(`qemu+unix:///system?socket=${relay.path}`, {
    open: async (uri) => {
      const hypervisor = new Hypervisor({ uri });
      await hypervisor.connectOpen();
      opened.push(hypervisor);
      return hypervisor;
    },
  });
  try {
    const name = domainNameFor(newUuid());
    expect(await driver.lookupDomain(name)).toBeUndefined();
    relay.cut();
    expect(await driver.lookupDomain(name)).toBeUndefined();
    expect(await driver.listDomainNames(RUN_PREFIX)).toEqual([]);
    expect(opened).toHaveLength(2);
  } finally {
    await driver.close();
    await relay.close();
  }
});

/** A unix socket that relays to libvirtd's; `cut` ends every connection relayed so far. */
async function libvirtRelay() {
  const folder = mkdtempSync(join(tmpdir(), 'vim-libvirt-relay-'));
  const path = join(folder, 'libvirt-sock');
  const sockets = new Set<Socket>();
  const keep = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined).on('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => {
    const daemon = connect('/var/run/libvirt/libvirt-sock');
    keep(client);
    keep(daemon);
    client.pipe(daemon).pipe(client);
    client.on('close', () => daemon.destroy());
    daemon.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const cut = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    path,
    cut,
    close: async () => {
      cut();
      await new Promise((resolve) => server.close(resolve));
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

describe('UnraidHypervisorDriver on qemu:///system (TCG)', () => {
  const driver = new UnraidHypervisorDriver('qemu:///system', { pollIntervalMs: 100 });
  afterAll(() => removeRunDomains(driver));

  /** The smallest VM the builder makes: no disk, so the guest never boots and ignores ACPI. */
  function tinyDomain(uuid: string): DomainSpec {
    return {
      name: domainNameFor(uuid), uuid, type: 'qemu', vcpus: 1, vcpupin: [{ vcpu: 0, cpus: [0] }], memoryKib: 65536,
      memoryBacking: { kind: 'memfd' }, disks: [], interfaces: [],
      metadata: { vnfInstanceId: VNF_INSTANCE_ID, vnfInstanceName: 'driver e2e', vduId: 'tiny' },
    };
  }

  test('a tiny VM runs, shutdown destroys it when ACPI gets no answer, undefine removes it', async () => {
    const uuid = newUuid();
    const name = domainNameFor(uuid);
    await expect(driver.defineDomain(buildDomainXml(tinyDomain(uuid)))).resolves.toEqual({ uuid, name });
    await driver.startDomain(name);
    await driver.startDomain(name);
    expect((await driver.lookupDomain(name))?.state).toBe('running');
    expect(await driver.domainXml(name)).toMatch(/<vcpupin vcpu='0' cpuset='0'\/>/);

    const started = performance.now();
    await driver.shutdownDomain(name, 2000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1900);
    expect((await driver.lookupDomain(name))?.state).toBe('shutoff');
    await driver.shutdownDomain(name, 2000);
    await driver.destroyDomain(name);
    await driver.undefineDomain(name);
    await driver.undefineDomain(name);
    await expect(driver.lookupDomain(name)).resolves.toBeUndefined();
  }, 60_000);

  test("power states: libvirt's reason for a guest that is not up (virsh), none looked up for one that runs; missing ones left out; the QEMU log's last lines", async () => {
    const [running, paused, missing] = [newUuid(), newUuid(), newUuid()].map((uuid) => ({ uuid, name: domainNameFor(uuid) }));
    for (const vm of [running, paused]) {
      await driver.defineDomain(buildDomainXml(tinyDomain(vm.uuid)));
      await driver.startDomain(vm.name);
    }
    execFileSync('virsh', ['-c', 'qemu:///system', 'suspend', paused.name], { stdio: 'ignore' });

    expect(await driver.powerState(running.name)).toEqual({ state: 'RUNNING' });
    expect(await driver.powerState(paused.name)).toEqual({ state: 'PAUSED', reason: 'user' });
    expect(await driver.powerState(missing.name)).toBeUndefined();
    const states = await driver.powerStates([running.name, paused.name, missing.name]);
    expect([...states]).toEqual([
      [running.name, { state: 'RUNNING' }],
      [paused.name, { state: 'PAUSED', reason: 'user' }],
    ]);
    await driver.destroyDomain(paused.name);
    expect(await driver.powerState(paused.name)).toEqual({ state: 'SHUTOFF', reason: 'destroyed' });

    const log = await driver.qemuLogTail(paused.name, 3);
    expect(log).toHaveLength(3);
    expect(log!.join('\n')).toMatch(/shutting down, reason=destroyed|terminating on signal/);
    expect(await driver.qemuLogTail(missing.name, 3)).toBeUndefined();
    expect(await new UnraidHypervisorDriver('test:///default').qemuLogTail(running.name, 3)).toBeUndefined();
  }, 60_000);
});
