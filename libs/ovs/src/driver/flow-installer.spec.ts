import { describe, expect, test } from '@jest/globals';
import { InvalidSpecError } from '#vim/naming';
import { deleteChainBundle, installChainBundle } from '../chain-bundle.js';
import { OfctlError, OfctlFlowInstaller, type OfctlRunner } from './flow-installer.js';
import { OvsError } from './switch-driver.js';

function recorder(answer: (args: readonly string[]) => { stdout: string; stderr: string } | Error) {
  const calls: { file: string; args: readonly string[]; stdin?: string; timeoutMs: number }[] = [];
  const run: OfctlRunner = async (file, args, stdin, timeoutMs) => {
    calls.push({ file, args, stdin, timeoutMs });
    const result = answer(args);
    if (result instanceof Error) throw result;
    return result;
  };
  return { calls, run };
}

describe('OfctlFlowInstaller', () => {
  const bundle = installChainBundle('br-x', 7n, { generation: 1, flows: ['in_port=1,actions=output:2'] });

  test('install runs the argv with the bundle on stdin', async () => {
    const { calls, run } = recorder(() => ({ stdout: '', stderr: '' }));
    const result = await new OfctlFlowInstaller(run, 1234).install('br-x', bundle);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(calls).toEqual([{ file: 'ovs-ofctl', args: ['-O', 'OpenFlow15', 'bundle', 'br-x', '-'], stdin: 'flow add cookie=0x70001,in_port=1,actions=output:2\n', timeoutMs: 1234 }]);
  });

  test('a bundle for another bridge is refused before anything runs', async () => {
    const { calls, run } = recorder(() => ({ stdout: '', stderr: '' }));
    await expect(new OfctlFlowInstaller(run).install('br-y', deleteChainBundle('br-x', 7n, []))).rejects.toThrow(InvalidSpecError);
    expect(calls).toEqual([]);
  });

  test('a refused bundle is an OvsError quoting stderr', async () => {
    const stderr = 'Error OFPBAC_BAD_OUT_GROUP for: OFPT_FLOW_MOD (OF1.4) (xid=0x9): ADD priority=100 actions=group:4242\novs-ofctl: talking to unix:/var/run/openvswitch/br-x.mgmt (Protocol error)\n';
    const { run } = recorder(() => Object.assign(new Error('Command failed'), { code: 1, stderr }));
    const error = await new OfctlFlowInstaller(run).install('br-x', bundle).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OvsError);
    expect(error).toBeInstanceOf(OfctlError);
    expect((error as OfctlError).exitCode).toBe(1);
    expect((error as Error).message).toBe(`ovs-ofctl -O OpenFlow15 bundle br-x - failed (exit 1): ${JSON.stringify(stderr.trim())}`);
  });

  test('a timeout says so', async () => {
    const { run } = recorder(() => Object.assign(new Error('Command failed'), { killed: true, signal: 'SIGTERM', stderr: '' }));
    await expect(new OfctlFlowInstaller(run, 50).install('br-x', bundle)).rejects.toThrow(/killed after 50 ms/);
  });

  test('dumpChainFlows asks for the chain range and answers the flow lines', async () => {
    const { calls, run } = recorder(() => ({ stdout: ' cookie=0x70001, in_port=1 actions=output:2\n cookie=0x70002, in_port=2 actions=output:1\n', stderr: '' }));
    expect(await new OfctlFlowInstaller(run).dumpChainFlows('br-x', 7n)).toEqual(['cookie=0x70001, in_port=1 actions=output:2', 'cookie=0x70002, in_port=2 actions=output:1']);
    expect(calls[0]!.args).toEqual(['-O', 'OpenFlow15', '--no-stats', 'dump-flows', 'br-x', 'cookie=0x70000/0xffffffffffff0000']);
  });

  test('dumpBridgeFlowStats asks for every flow of the bridge with statistics', async () => {
    const dump = 'OFPST_FLOW reply (OF1.5) (xid=0x2):\n cookie=0x70001, duration=1.2s, table=0, n_packets=3, n_bytes=294, in_port=1 actions=output:2\n cookie=0x0, duration=9s, table=0, n_packets=0, n_bytes=0, priority=0 actions=NORMAL\n';
    const { calls, run } = recorder(() => ({ stdout: dump, stderr: '' }));
    expect(await new OfctlFlowInstaller(run).dumpBridgeFlowStats('br-x')).toHaveLength(2);
    expect(calls[0]!.args).toEqual(['-O', 'OpenFlow15', 'dump-flows', 'br-x']);
  });

  test('dumpChainFlowStats asks for the chain range with statistics, without the reply header', async () => {
    const dump = 'OFPST_FLOW reply (OF1.5) (xid=0x2):\n cookie=0x70001, duration=1.2s, table=0, n_packets=3, n_bytes=294, in_port=1 actions=output:2\n';
    const { calls, run } = recorder(() => ({ stdout: dump, stderr: '' }));
    expect(await new OfctlFlowInstaller(run).dumpChainFlowStats('br-x', 7n)).toEqual(['cookie=0x70001, duration=1.2s, table=0, n_packets=3, n_bytes=294, in_port=1 actions=output:2']);
    expect(calls[0]!.args).toEqual(['-O', 'OpenFlow15', 'dump-flows', 'br-x', 'cookie=0x70000/0xffffffffffff0000']);
  });
});
