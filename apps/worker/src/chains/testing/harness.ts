import { ChainApplier } from '../apply/chain-applier.js';
import { ChainRefresher } from '../refresh/chain-refresher.js';
import { ChainSteering } from '../steering/chain-steering.js';
import { ChainTraceRunner } from '../trace/chain-trace-runner.js';
import { FakeChainDrivers } from './fake-bridges.js';
import { MemoryChainStore, RecordingEvents, silentLog, vnf } from './memory-chain-store.js';

/**
 * A chains worker over fakes: host h1 (local switch) with ports up=1, down=2 and, per instance
 * given, `<id>-in` and `<id>-out` numbered from 10 in pairs.
 */
export function chainsHarness(instances: string[] = ['fw', 'dpi']) {
  const store = new MemoryChainStore();
  const drivers = new FakeChainDrivers();
  const events = new RecordingEvents();
  const log = silentLog();
  store.hosts.set('h1', { name: 'h1', ovsdbRemote: 'unix:/run/openvswitch/db.sock' });
  store.hosts.set('far', { name: 'far', ovsdbRemote: 'tcp:10.0.0.7:6640' });
  drivers.setPort('h1', 'up', 1);
  drivers.setPort('h1', 'down', 2);
  instances.forEach((id, i) => {
    store.instances.set(id, vnf(id));
    drivers.setPort('h1', `${id}-in`, 10 + 2 * i);
    drivers.setPort('h1', `${id}-out`, 11 + 2 * i);
  });
  const steering = new ChainSteering(store, drivers);
  const now = () => new Date('2026-12-07T23:00:00Z');
  store.clock = now;
  const applier = new ChainApplier({ store, steering, events, log });
  return {
    store,
    drivers,
    bridges: drivers.bridges,
    events,
    log,
    applier,
    refresher: new ChainRefresher({ store, drivers, events, log, now, resume: (opId) => applier.applyHeld(opId) }),
    tracer: new ChainTraceRunner(store, drivers),
  };
}
