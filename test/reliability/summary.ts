import * as fs from 'node:fs';

/**
 * Each reliability suite ends with one summary line (`crash: 20 kills, 0 lost, 0 chain faults`),
 * written straight to stderr so that jest shows it without a console stack. With
 * RELIABILITY_SUMMARY_FILE set, the line is also appended to that file (docs/reliability.md quotes
 * the lines of a run).
 */
export function printSummary(line: string): void {
  process.stderr.write(`\n${line}\n`);
  const file = process.env.RELIABILITY_SUMMARY_FILE;
  if (file) fs.appendFileSync(file, `${line}\n`);
}

/** A whole number from the environment, or the default (suites are scaled up with env vars). */
export function envCount(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') return fallback;
  if (!/^\d+$/.test(value.trim()))
    throw new Error(`${name}=${JSON.stringify(value)}: expected a whole number`);
  return Number(value.trim());
}

/** Deterministic pseudo-random numbers (mulberry32): a printed seed replays a run exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of a run: RELIABILITY_SEED if given, else a fresh one (printed by the suite). */
export function runSeed(): number {
  return envCount('RELIABILITY_SEED', Math.floor(Math.random() * 2 ** 31));
}
