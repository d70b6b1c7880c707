import type { LcmDrivers } from './lcm-drivers.js';
import type { OpTimings } from './records.js';

/** Time spent inside driver calls during one step. */
export interface DriverTime {
  libvirtMs: number;
  ovsdbMs: number;
}

/** The same object, each method call going through `around` (which runs it with `call`); other properties as they are. */
export function aroundMethods<T extends object>(target: T, around: (method: string, call: () => unknown) => unknown): T {
  return new Proxy(target, {
    get(object, key) {
      const value: unknown = Reflect.get(object, key, object);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => around(String(key), () => value.apply(object, args));
    },
  });
}

/** The same object, with the duration of every method call (until its promise settles) reported to `add`. */
export function timed<T extends object>(target: T, add: (ms: number) => void): T {
  return aroundMethods(target, (_method, call) => {
    const started = performance.now();
    const done = () => add(performance.now() - started);
    try {
      const result = call();
      if (result instanceof Promise) return result.finally(done);
      done();
      return result;
    } catch (error) {
      done();
      throw error;
    }
  });
}

/** Drivers that add their call time to `time`; drivers are shared by concurrent operations, the meter is the step's own. */
export function meteredDrivers(drivers: LcmDrivers, time: DriverTime): LcmDrivers {
  const libvirt = (ms: number) => (time.libvirtMs += ms);
  const ovsdb = (ms: number) => (time.ovsdbMs += ms);
  return {
    images: drivers.images,
    guestCheckMs: drivers.guestCheckMs,
    hypervisor: (host) => timed(drivers.hypervisor(host), libvirt),
    switch: (host) => timed(drivers.switch(host), ovsdb),
    domainType: (host) => timed(drivers, libvirt).domainType(host),
    close: () => drivers.close(),
  };
}

/** Wall time and driver time of one run of one step, added to what the operation already recorded. */
export class StepMeter {
  readonly time: DriverTime = { libvirtMs: 0, ovsdbMs: 0 };
  private readonly started = performance.now();

  timings(previous: OpTimings, step: string): OpTimings {
    const ms = Math.round(performance.now() - this.started);
    return {
      steps: { ...previous.steps, [step]: (previous.steps?.[step] ?? 0) + ms },
      libvirtMs: Math.round((previous.libvirtMs ?? 0) + this.time.libvirtMs),
      ovsdbMs: Math.round((previous.ovsdbMs ?? 0) + this.time.ovsdbMs),
    };
  }
}
