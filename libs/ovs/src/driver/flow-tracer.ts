import { type AppctlInvocation, type FlowTrace, parseTrace, traceInvocation, type TracePacket } from '../trace.js';
import { execOfctl, type OfctlRunner, OvsToolError } from './flow-installer.js';

/**
 * Asks a bridge which rules a packet would hit (`ovs-appctl ofproto/trace`), without sending it.
 * Errors: InvalidSpecError (libs/naming) for a bad bridge or packet, before anything runs;
 * AppctlError (an OvsError) when ovs-appctl fails (unknown bridge, a flow vswitchd refuses, a
 * timeout) or answers something that is not a trace, with its stderr or output quoted.
 */
export interface FlowTracer {
  trace(bridge: string, packet: TracePacket): Promise<FlowTrace>;
}

/** ovs-appctl failed; the message quotes its stderr. */
export class AppctlError extends OvsToolError {
  constructor(args: readonly string[], exitCode: number | string | undefined, stderr: string) {
    super('ovs-appctl', args, exitCode, stderr);
  }
}

export class AppctlFlowTracer implements FlowTracer {
  constructor(
    private readonly run: OfctlRunner = execOfctl,
    private readonly timeoutMs = 10_000,
  ) {}

  async trace(bridge: string, packet: TracePacket): Promise<FlowTrace> {
    const invocation: AppctlInvocation = traceInvocation(bridge, packet);
    let stdout: string;
    try {
      ({ stdout } = await this.run(invocation.file, invocation.args, undefined, this.timeoutMs));
    } catch (error) {
      const e = error as { code?: number | string; stderr?: string; message?: string; killed?: boolean };
      const stderr = e.stderr || (e.killed ? `killed after ${this.timeoutMs} ms` : String(e.message ?? error));
      throw new AppctlError(invocation.args, e.code, stderr);
    }
    try {
      return parseTrace(stdout);
    } catch (error) {
      throw new AppctlError(invocation.args, 0, `unreadable answer: ${(error as Error).message}`);
    }
  }
}
