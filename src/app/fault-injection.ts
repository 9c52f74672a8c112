import type { JobStep } from './job-runner.ts';

/** The steps of one order job, numbered as NUMBERD_FAULT_CRASH_AFTER_STEP counts them. */
export const ORDER_JOB_STEPS = ['claimed', 'completed'] as const satisfies readonly JobStep[];

export type OrderJobStep = (typeof ORDER_JOB_STEPS)[number];

/** Dies the way a power cut or the OOM killer does: no cleanup, no finally, no shutdown hooks. */
export function killThisProcess(): never {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable: SIGKILL did not stop the process');
}

/**
 * A checkpoint that crashes the process right after step `crashAfterStep` (1-based) committed,
 * so tests can prove another worker finishes the order exactly once in effect. No-op when null.
 */
export function crashAfterStep(crashAfterStep: number | null, crash: () => void = killThisProcess): (step: OrderJobStep) => void {
  if (crashAfterStep === null) return () => {};
  const target = ORDER_JOB_STEPS[crashAfterStep - 1];
  return (step) => {
    if (step !== target) return;
    process.stderr.write(`numberd: fault injection, crashing after step ${crashAfterStep} (${step})\n`);
    crash();
  };
}
