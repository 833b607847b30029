// The built service (dist/main.js) as a child process of a benchmark, as `npm start` runs it, and
// what the kernel says about a process (resident set, CPU time) from /proc.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { DIST_DIR } from './common.mjs';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Start `node dist/main.js` on `dataDir` (STORE=embedded) and wait until /health/live answers.
 * `env` adds to or overrides the service's environment (LOG_LEVEL …). stdout (the request log)
 * goes to /dev/null; stderr is kept for the error message should the service die. `onSpawn(pid)`
 * is called as soon as the process exists (the service may catch up before it listens).
 */
export async function startService({ dataDir, env = {}, readyTimeoutMs = 60_000, onSpawn }) {
  const port = await freePort();
  const main = path.join(DIST_DIR, 'main.js');
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      STORE: 'embedded',
      READ_STORE: 'embedded',
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  onSpawn?.(child.pid);
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited early (${child.exitCode}): ${stderr}`);
    try {
      const response = await fetch(`${url}/health/live`);
      if (response.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service did not start within ${readyTimeoutMs} ms: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    pid: child.pid,
    port,
    url,
    stderr: () => stderr,
    /** SIGTERM (a clean close: the store is checkpointed), SIGKILL after 60 s. */
    stop() {
      if (child.exitCode !== null) return Promise.resolve(child.exitCode);
      return new Promise((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.once('exit', (code) => {
          clearTimeout(timer);
          resolve(code);
        });
        child.kill('SIGTERM');
      });
    },
  };
}

/** A child process such as the bare app that prints "listening <port>" once it accepts requests. */
export function startListening(script, args = [], env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args.map(String)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`${script} exited (${code}) before listening`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening (\d+)/.exec(out);
      if (match) {
        child.removeAllListeners('exit');
        resolve({
          child,
          pid: child.pid,
          port: Number(match[1]),
          url: `http://127.0.0.1:${match[1]}`,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done(child.exitCode);
              child.once('exit', done);
              child.kill('SIGTERM');
            }),
        });
      }
    });
  });
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** Resident set now (VmRSS, and its anonymous and file-backed parts) and at its peak (VmHWM), and CPU seconds so far, of a live process. */
export function processStats(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    // /proc/<pid>/stat: fields 14 and 15 (utime, stime) after the parenthesised command name.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      rssMiB: Math.round(kib('VmRSS') / 1024),
      // Anonymous memory (the JavaScript heap, SQLite's page caches, buffers) and file-backed
      // pages mapped into the process (SQLite's memory-mapped I/O, the code).
      rssAnonMiB: Math.round(kib('RssAnon') / 1024),
      rssFileMiB: Math.round(kib('RssFile') / 1024),
      peakRssMiB: Math.round(kib('VmHWM') / 1024),
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS,
    };
  } catch {
    return undefined;
  }
}
