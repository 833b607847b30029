import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';

/** The built service, as `npm test` builds it before the tests (`pretest`). */
export const BUILT_SERVICE = path.resolve(__dirname, '../../dist/main.js');

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface ServiceProcessOptions {
  /** The entry point (default: the built service). */
  readonly main?: string;
  /** Polled until it answers 2xx (default `/health/ready`). */
  readonly readyPath?: '/health/ready' | '/health/live';
  readonly logLevel?: string;
  readonly timeoutMs?: number;
  readonly pollMs?: number;
}

/**
 * The service as a child process on `dataDir`, listening on 127.0.0.1:`port`, once `readyPath`
 * answers; throws with its stderr if it exits first or does not become ready in time.
 */
export async function startService(
  dataDir: string,
  port: number,
  options: ServiceProcessOptions = {},
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [options.main ?? BUILT_SERVICE], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: options.logLevel ?? 'error',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited early (${child.exitCode}): ${stderr}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}${options.readyPath ?? '/health/ready'}`)).ok) return child;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`service did not become ready: ${stderr}`);
    await new Promise((r) => setTimeout(r, options.pollMs ?? 100));
  }
}

/** kill -9: no shutdown hook runs. Resolves once the process is gone. */
export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
