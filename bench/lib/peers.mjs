// The bench-only packages in bench/peers/ (Emmett's SQLite event store, sqlite3, autocannon): a
// package of their own so the product never depends on them. Installed on first use with
// `npm ci --prefix bench/peers`; sqlite3 is built from source by node-gyp (its prebuilt binary
// would come from outside the npm registry).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { BENCH_DIR } from './common.mjs';

export const PEERS_DIR = path.join(BENCH_DIR, 'peers');
const MODULES = path.join(PEERS_DIR, 'node_modules');
/** Present once an install completed (npm writes it last). */
const INSTALLED_MARK = path.join(MODULES, '.package-lock.json');

const requirePeer = createRequire(path.join(PEERS_DIR, 'package.json'));

/** The version of a package as installed in bench/peers. */
export function peerVersion(name) {
  return JSON.parse(fs.readFileSync(path.join(MODULES, name, 'package.json'), 'utf8')).version;
}

/** Load a bench-only package (Emmett ships CommonJS builds beside its ES modules). */
export function loadPeer(name) {
  return requirePeer(name);
}

/**
 * Install bench/peers if it is not installed (or its lock file is newer than the install).
 * @returns {{ ok: true } | { ok: false, error: string }}
 */
export function ensurePeers(log = (text) => process.stderr.write(text)) {
  const lock = path.join(PEERS_DIR, 'package-lock.json');
  if (
    fs.existsSync(INSTALLED_MARK) &&
    (!fs.existsSync(lock) || fs.statSync(INSTALLED_MARK).mtimeMs >= fs.statSync(lock).mtimeMs)
  ) {
    return { ok: true };
  }
  const verb = fs.existsSync(lock) ? 'ci' : 'install';
  log(
    `installing the bench-only packages: npm ${verb} --prefix bench/peers (sqlite3 builds from source, about 2 min) …\n`,
  );
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, [verb, '--prefix', PEERS_DIR, '--no-audit', '--no-fund'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    // sqlite3's install script tries a prebuilt binary first; build from source straight away.
    env: { ...process.env, npm_config_build_from_source: 'true' },
  });
  if (result.status !== 0) {
    return {
      ok: false,
      error: `npm ${verb} --prefix bench/peers failed (${result.error?.message ?? `exit ${result.status}`})`,
    };
  }
  return { ok: true };
}
