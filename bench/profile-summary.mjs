// Where the time went in a V8 CPU profile (`BENCH_CPU_PROF=1 npm run bench` writes them to
// bench/.data/profiles/): `node bench/profile-summary.mjs <file.cpuprofile> [top=25]`.
// Prints self time per function (with its file), and total (inclusive) time of the functions of
// this repository's dist/ code, so the hot paths of the projector and the stores stand out.
import * as fs from 'node:fs';
import * as path from 'node:path';

const file = process.argv[2];
const top = Number(process.argv[3] ?? 25);
if (!file) {
  process.stderr.write('usage: node bench/profile-summary.mjs <file.cpuprofile> [top]\n');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Self time per node from the samples and their time deltas.
const selfUs = new Map();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

const label = (n) => {
  const f = n.callFrame;
  const url = f.url.replace(/^file:\/\//, '');
  const shown = url.includes('/node_modules/')
    ? url.slice(url.lastIndexOf('/node_modules/') + 1)
    : path.relative(process.cwd(), url);
  const where = f.url ? `${shown}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
};

const bySelf = new Map();
for (const [id, us] of selfUs) {
  const key = label(nodes.get(id));
  bySelf.set(key, (bySelf.get(key) ?? 0) + us);
}

// Inclusive time per function: each sample counts once for every distinct function on its stack.
const inclusive = new Map();
profile.samples.forEach((id, i) => {
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const key = label(nodes.get(at));
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
});

const pct = (us) => `${((us / totalUs) * 100).toFixed(1).padStart(5)}%`;
const ms = (us) => `${Math.round(us / 1000)} ms`.padStart(9);
process.stdout.write(`${file}: ${Math.round(totalUs / 1000)} ms sampled\n\nself time\n`);
for (const [key, us] of [...bySelf].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  process.stdout.write(`${pct(us)} ${ms(us)}  ${key}\n`);
}
process.stdout.write('\ninclusive time (functions of dist/)\n');
const ours = [...inclusive].filter(([key]) => /\.js:\d+$/.test(key) && !/node_modules\/|node:/.test(key));
for (const [key, us] of ours.sort((a, b) => b[1] - a[1]).slice(0, top)) {
  process.stdout.write(`${pct(us)} ${ms(us)}  ${key}\n`);
}
