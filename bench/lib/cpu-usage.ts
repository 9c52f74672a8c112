import { readdirSync, readFileSync } from 'node:fs';

/**
 * Where the machine's CPU went during a load, read from Linux's /proc: a throughput figure alone
 * cannot say whether numberd, the database or the load generator was the limit, or whether the
 * machine was idle, waiting on round trips, or lent to another guest (steal). NaN off Linux.
 */
export interface CpuReading {
  /** CPU time of each named process group so far, in ms. */
  processes: Record<string, number>;
  /** The whole machine, in clock ticks: every state, and the idle, iowait and steal parts of it; and its CPU count. */
  machine: { total: number; idle: number; steal: number; cpus: number };
}

export interface CpuUse {
  /** CPU time each process group used between the two readings, in ms. */
  processes: Record<string, number>;
  /** Share of the machine's CPU time spent busy (not idle, not stolen), 0..1. */
  busy: number;
  /** The machine's busy CPU time, every process and the kernel, in ms, and how many CPUs shared it. */
  machineMs: number;
  cpus: number;
  /** Share of it the hypervisor gave to other guests, 0..1. */
  steal: number;
}

/** Reads the CPU time of process groups, each given as a function returning its pids. */
export function readCpu(groups: Record<string, () => number[]>): CpuReading {
  const machine = machineTicks();
  const processes: Record<string, number> = {};
  for (const [name, pids] of Object.entries(groups)) {
    processes[name] = Number.isNaN(machine.total) ? Number.NaN : pids().reduce((sum, pid) => sum + processCpuMs(pid), 0);
  }
  return { processes, machine };
}

export function cpuUsedBetween(before: CpuReading, after: CpuReading): CpuUse {
  const processes: Record<string, number> = {};
  for (const name of Object.keys(after.processes)) processes[name] = after.processes[name]! - (before.processes[name] ?? 0);
  const total = after.machine.total - before.machine.total;
  const idle = after.machine.idle - before.machine.idle;
  const steal = after.machine.steal - before.machine.steal;
  return { processes, busy: (total - idle - steal) / total, steal: steal / total, machineMs: (total - idle - steal) * TICK_MS, cpus: after.machine.cpus };
}

/**
 * Every process running the `postgres` executable: the bench's embedded server and its backends
 * (a backend that exits between two readings takes its time with it; the pool keeps them open).
 */
export function postgresPids(): number[] {
  const pids: number[] = [];
  for (const entry of safeReaddir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (safeRead(`/proc/${entry}/comm`)?.trim() === 'postgres') pids.push(Number(entry));
  }
  return pids;
}

// Clock ticks per second for /proc: 100 on every Linux the bench runs on (USER_HZ).
const TICK_MS = 10;

/**
 * User plus system time of a process's main thread, in ms: numberd answers HTTP and runs SQLite's
 * statements on it, so its busy share says whether one thread, not the machine, was the limit.
 */
export function mainThreadCpuMs(pid: number): number {
  return cpuMsOf(`/proc/${pid}/task/${pid}/stat`);
}

/** User plus system time of one process, in ms; 0 once it is gone (a backend that exited). */
function processCpuMs(pid: number): number {
  return cpuMsOf(`/proc/${pid}/stat`);
}

function cpuMsOf(statPath: string): number {
  const stat = safeRead(statPath);
  if (stat === undefined) return 0;
  // Fields after the command name, which may itself hold spaces: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

function machineTicks(): CpuReading['machine'] {
  const lines = safeRead('/proc/stat')?.split('\n') ?? [];
  const line = lines.find((l) => l.startsWith('cpu '));
  if (!line) return { total: Number.NaN, idle: Number.NaN, steal: Number.NaN, cpus: Number.NaN };
  // user nice system idle iowait irq softirq steal (guest time is already inside user).
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number) as number[];
  const cpus = lines.filter((l) => /^cpu\d+ /.test(l)).length;
  return { total: user! + nice! + system! + idle! + iowait! + irq! + softirq! + steal!, idle: idle! + iowait!, steal: steal!, cpus };
}

function safeRead(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function safeReaddir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}
