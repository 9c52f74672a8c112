import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/numberd.js', import.meta.url));

export interface NumberdProcess {
  role: 'all' | 'api' | 'worker';
  /** Base URL the process listens on (a worker serves /healthz and /metrics only). */
  url: string;
  child: ChildProcessWithoutNullStreams;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Resolves with how it ended: an exit code, or the signal that killed it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `numberd serve --role <role> --no-demo` on a free port and waits for its listening line. */
export async function startNumberd(role: NumberdProcess['role'], env: Record<string, string>): Promise<NumberdProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--role', role, '--no-demo'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', NUMBERD_LOG_LEVEL: 'warn', ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`numberd ${role} did not start:\n${output}`)), 60_000);
    const onData = () => {
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`numberd ${role} exited before listening:\n${output}`));
    });
  });
  return {
    role, url, child, exited,
    output: () => output,
    kill(signal) {
      child.kill(signal);
      return exited;
    },
  };
}
