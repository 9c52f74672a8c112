import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NUMBERD = fileURLToPath(new URL('../../bin/numberd.js', import.meta.url));

export interface Started {
  url: string;
  pid: number;
  /** VmHWM of the process now: its peak resident set since it started, in MB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

/** The environment every numberd process of the bench gets: access logs off, as behind a proxy. */
export function numberdEnv(databaseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: databaseUrl, NUMBERD_LOG_LEVEL: 'warn', NUMBERD_DEMO: '0', ...extra };
}

export function peakRssMb(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** `numberd serve` in its own process on a free port; resolves once it prints where it listens. */
export function startNumberd(databaseUrl: string, options: { role?: 'all' | 'api' | 'worker'; env?: Record<string, string> } = {}): Promise<Started> {
  const role = options.role ?? 'all';
  // BENCH_CPU_PROF=DIR writes a CPU profile of every numberd server the bench starts into DIR.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, NUMBERD, 'serve', '--no-demo', '--port', '0', '--role', role], {
    cwd: ROOT, env: numberdEnv(databaseUrl, options.env), stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A worker listens nowhere; it is ready once the process is up and has migrated.
  return waitForLine(child, role === 'worker' ? null : /listening on (http:\/\/\S+)/);
}

/** The ceiling: a minimal fastify app answering a fixed body of `bytes` bytes (see ceiling-server.ts). */
export function startCeiling(bytes: number): Promise<Started> {
  const script = fileURLToPath(new URL('./ceiling-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, String(bytes)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return waitForLine(child, /listening on (http:\/\/\S+)/);
}

function waitForLine(child: ChildProcess, pattern: RegExp | null): Promise<Started> {
  const pid = child.pid!;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = (url: string): Started => ({
    url,
    pid,
    peakRssMb: () => peakRssMb(pid),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  });
  return new Promise((resolve, reject) => {
    let output = '';
    let stderr = '';
    let ready = false;
    const timer = setTimeout(() => fail(new Error('did not start within 60 s')), 60_000);
    const fail = (error: Error) => {
      if (ready) return;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n${output}${stderr}`));
    };
    child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.once('exit', (code) => fail(new Error(`exited with ${code} before it was ready`)));
    if (!pattern) {
      // Give a worker the time to open its database and migrate, then check it is still alive.
      setTimeout(() => {
        if (child.exitCode !== null) return;
        ready = true;
        clearTimeout(timer);
        resolve(started(''));
      }, 1500);
    }
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern?.exec(output);
      if (match) {
        ready = true;
        clearTimeout(timer);
        resolve(started(match[1]!));
      }
    });
  });
}

export interface CliRun {
  ms: number;
  peakRssMb: number;
  stdout: string;
}

/** Runs the numberd CLI to completion, sampling its peak RSS (VmHWM only grows, so the last reading is the peak). */
export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [NUMBERD, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    const sampler = setInterval(() => { peak = Math.max(peak, peakRssMb(child.pid!) || 0); }, 50);
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('exit', (code) => {
      clearInterval(sampler);
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`numberd ${args.join(' ')} exited with ${code}: ${stderr}`));
      else resolve({ ms, peakRssMb: peak, stdout });
    });
  });
}
