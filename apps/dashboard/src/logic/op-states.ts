/** An LCM operation's states (SOL 003), in the order they may come. */
export const LCM_STATES = ['STARTING', 'PROCESSING', 'COMPLETED', 'FAILED_TEMP', 'FAILED', 'ROLLING_BACK', 'ROLLED_BACK'] as const;
/** A chain operation's states. */
export const CHAIN_STATES = ['STARTING', 'PROCESSING', 'COMPLETED', 'FAILED'] as const;

/** The states an operation never leaves. */
export const FINAL_STATES: ReadonlySet<string> = new Set(['COMPLETED', 'FAILED', 'ROLLED_BACK']);

export const isFinal = (state: string): boolean => FINAL_STATES.has(state);

/** Whether the operation is at work: not final, and not FAILED_TEMP (which waits for a retry, a rollback or a fail). */
export const isRunning = (state: string): boolean => !isFinal(state) && state !== 'FAILED_TEMP';
