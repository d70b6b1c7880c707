import { describe, expect, test } from '@jest/globals';
import { InvalidSpecError } from '#vim/naming';
import type { TracePacket } from '../trace.js';
import type { OfctlRunner } from './flow-installer.js';
import { AppctlError, AppctlFlowTracer } from './flow-tracer.js';
import { OvsError } from './switch-driver.js';
import { TRACE_OUTPUT_TO_PORT } from '../testing/trace-captures.js';

const packet: TracePacket = { inPort: 3, ethertype: 'ipv4', source: '10.9.0.1', destination: '10.9.0.2', protocol: 17, sourcePort: 40000, destinationPort: 5201 };

function recorder(answer: () => { stdout: string; stderr: string } | Error) {
  const calls: { file: string; args: readonly string[]; stdin?: string; timeoutMs: number }[] = [];
  const run: OfctlRunner = async (file, args, stdin, timeoutMs) => {
    calls.push({ file, args, stdin, timeoutMs });
    const result = answer();
    if (result instanceof Error) throw result;
    return result;
  };
  return { calls, run };
}

describe('AppctlFlowTracer', () => {
  test('runs ovs-appctl ofproto/trace with the argv and answers the parsed trace', async () => {
    const { calls, run } = recorder(() => ({ stdout: TRACE_OUTPUT_TO_PORT, stderr: '' }));
    const trace = await new AppctlFlowTracer(run, 777).trace('brtr27510', packet);
    expect(calls).toEqual([{ file: 'ovs-appctl', args: ['ofproto/trace', 'brtr27510', 'in_port=3,udp,nw_src=10.9.0.1,nw_dst=10.9.0.2,udp_src=40000,udp_dst=5201'], stdin: undefined, timeoutMs: 777 }]);
    expect(trace.rules.map((r) => r.cookie)).toEqual([0xc4a100010001n]);
    expect(trace.output).toEqual([2]);
  });

  test('a bad packet is refused before anything runs', async () => {
    const { calls, run } = recorder(() => ({ stdout: TRACE_OUTPUT_TO_PORT, stderr: '' }));
    await expect(new AppctlFlowTracer(run).trace('brtr27510', { ...packet, source: '10.9.0.1,actions=drop' })).rejects.toThrow(InvalidSpecError);
    expect(calls).toEqual([]);
  });

  test('a failure is an OvsError quoting stderr (unknown bridge, as OvS 3.1 says it)', async () => {
    const stderr = 'nosuchbr: unknown bridge\novs-appctl: ovs-vswitchd: server returned an error\n';
    const { run } = recorder(() => Object.assign(new Error('Command failed'), { code: 2, stderr }));
    const error = await new AppctlFlowTracer(run).trace('nosuchbr', packet).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OvsError);
    expect(error).toBeInstanceOf(AppctlError);
    expect((error as AppctlError).exitCode).toBe(2);
    expect((error as Error).message).toBe(`ovs-appctl ofproto/trace nosuchbr in_port=3,udp,nw_src=10.9.0.1,nw_dst=10.9.0.2,udp_src=40000,udp_dst=5201 failed (exit 2): ${JSON.stringify(stderr.trim())}`);
  });

  test('a timeout says so; an answer that is not a trace is an AppctlError too', async () => {
    const killed = recorder(() => Object.assign(new Error('Command failed'), { killed: true, signal: 'SIGTERM', stderr: '' }));
    await expect(new AppctlFlowTracer(killed.run, 50).trace('br0', packet)).rejects.toThrow(/killed after 50 ms/);
    const garbage = recorder(() => ({ stdout: 'hello\n', stderr: '' }));
    await expect(new AppctlFlowTracer(garbage.run).trace('br0', packet)).rejects.toThrow(/unreadable answer: not an ofproto\/trace answer/);
  });
});
