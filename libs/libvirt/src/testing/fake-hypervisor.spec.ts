import { beforeEach, describe, expect, test } from '@jest/globals';
import { LibvirtError } from '../driver/hypervisor-driver.js';
import { buildDomainXml } from '../domain-xml.js';
import { sampleDomainSpec, VDU_INSTANCE_ID } from './domain-fixture.js';
import { FakeHypervisorDriver } from './fake-hypervisor.js';

const NAME = `vim-${VDU_INSTANCE_ID}`;
const OTHER_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const xml = buildDomainXml(sampleDomainSpec());

describe('FakeHypervisorDriver', () => {
  let driver: FakeHypervisorDriver;

  beforeEach(() => {
    driver = new FakeHypervisorDriver();
  });

  test('define, start, shut down, undefine: the lifecycle as lookups see it', async () => {
    await expect(driver.defineDomain(xml)).resolves.toEqual({ uuid: VDU_INSTANCE_ID, name: NAME });
    expect(await driver.lookupDomain(NAME)).toEqual({ uuid: VDU_INSTANCE_ID, name: NAME, state: 'shutoff' });
    await driver.startDomain(NAME);
    expect((await driver.lookupDomain(NAME))?.state).toBe('running');
    expect(await driver.domainXml(NAME)).toBe(xml);
    await driver.shutdownDomain(NAME, 1000);
    expect((await driver.lookupDomain(NAME))?.state).toBe('shutoff');
    await driver.undefineDomain(NAME);
    expect(await driver.lookupDomain(NAME)).toBeUndefined();
    expect(await driver.domainXml(NAME)).toBeUndefined();
  });

  test('every state change is a no-op when already done or when the domain is missing', async () => {
    await driver.destroyDomain(NAME);
    await driver.shutdownDomain(NAME, 10);
    await driver.undefineDomain(NAME);
    await driver.defineDomain(xml);
    await driver.startDomain(NAME);
    await driver.startDomain(NAME);
    await driver.destroyDomain(NAME);
    await driver.destroyDomain(NAME);
    await driver.shutdownDomain(NAME, 10);
    expect((await driver.lookupDomain(NAME))?.state).toBe('shutoff');
  });

  test('redefining keeps the state; another UUID under the same name is refused', async () => {
    await driver.defineDomain(xml);
    await driver.startDomain(NAME);
    await expect(driver.defineDomain(xml)).resolves.toEqual({ uuid: VDU_INSTANCE_ID, name: NAME });
    expect((await driver.lookupDomain(NAME))?.state).toBe('running');
    const clash = xml.replace(`<uuid>${VDU_INSTANCE_ID}</uuid>`, `<uuid>${OTHER_ID}</uuid>`);
    await expect(driver.defineDomain(clash)).rejects.toMatchObject({ operation: 'define', domainName: NAME });
  });

  test('starting a missing domain and defining malformed XML are LibvirtErrors', async () => {
    await expect(driver.startDomain(NAME)).rejects.toMatchObject({ name: 'LibvirtError', operation: 'start', domainName: NAME });
    await expect(driver.defineDomain('<domain><name>x')).rejects.toBeInstanceOf(LibvirtError);
  });

  test('undefining a running domain leaves it running until it stops, as libvirt does', async () => {
    await driver.defineDomain(xml);
    await driver.startDomain(NAME);
    await driver.undefineDomain(NAME);
    expect((await driver.lookupDomain(NAME))?.state).toBe('running');
    await driver.destroyDomain(NAME);
    expect(await driver.lookupDomain(NAME)).toBeUndefined();
  });

  test('failNext fails exactly the next call of that operation and changes nothing', async () => {
    await driver.defineDomain(xml);
    const custom = new Error('boom');
    driver.failNext('start');
    driver.failNext('start', custom);
    const failure = driver.startDomain(NAME);
    await expect(failure).rejects.toBeInstanceOf(LibvirtError);
    await expect(failure).rejects.toMatchObject({ operation: 'start', domainName: NAME, uri: driver.uri });
    await expect(driver.startDomain(NAME)).rejects.toBe(custom);
    expect((await driver.lookupDomain(NAME))?.state).toBe('shutoff');
    await driver.startDomain(NAME);
    expect((await driver.lookupDomain(NAME))?.state).toBe('running');
  });

  test.each(['define', 'shutdown', 'destroy', 'undefine'] as const)('failNext(%p) applies even where the call would be a no-op', async (operation) => {
    driver.failNext(operation);
    const calls = {
      define: () => driver.defineDomain(xml),
      shutdown: () => driver.shutdownDomain(NAME, 5),
      destroy: () => driver.destroyDomain(NAME),
      undefine: () => driver.undefineDomain(NAME),
    };
    await expect(calls[operation]()).rejects.toMatchObject({ operation });
    await calls[operation]();
  });

  test('records every call in order, with the shutdown timeout', async () => {
    await driver.defineDomain(xml);
    await driver.startDomain(NAME);
    await driver.shutdownDomain(NAME, 1500);
    await driver.listDomainNames('vim-');
    await driver.close();
    expect(driver.calls).toEqual([
      { operation: 'define', name: NAME },
      { operation: 'start', name: NAME },
      { operation: 'shutdown', name: NAME, timeoutMs: 1500 },
      { operation: 'list' },
      { operation: 'close' },
    ]);
  });

  test('lists names by prefix, sorted', async () => {
    await driver.defineDomain(buildDomainXml(sampleDomainSpec({ uuid: OTHER_ID, name: `vim-${OTHER_ID}` })));
    await driver.defineDomain(xml);
    expect(await driver.listDomainNames('vim-')).toEqual([NAME, `vim-${OTHER_ID}`]);
    expect(await driver.listDomainNames('vim-9')).toEqual([`vim-${OTHER_ID}`]);
  });
});
