/**
 * `npm run bench:compile`: cold `quickback compile` (a fresh process each run, empty output) for
 * projects of 10, 50 and 100 generated features, median of RUNS runs each, with the 100/10 ratio.
 * Goal: 100 features in ≤ 2 s on a 2-core machine.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(repo, 'bin', 'quickback.js');
const RUNS = Number(process.env.RUNS ?? 3);
const SIZES = [10, 50, 100];

const config = `import { defineConfig, defineDatabase, defineRuntime } from "@quickback/compiler";
export default defineConfig({
  name: "bench",
  providers: { runtime: defineRuntime("node"), database: defineDatabase("better-sqlite3") },
  features: { organizations: true },
});
`;

function featureSource(i: number): string {
  return `import { feature, q } from "@quickback/compiler";
export default feature("items${i}", {
  columns: {
    id: q.id(),
    title: q.text({ maxLength: 200 }).required().searchable(),
    status: q.enum(["open", "closed"]).default("open").filterable("eq", "in"),
    amount: q.number({ min: 0 }).optional().filterable(),
    due: q.date().optional(),
    meta: q.json().optional(),
    ${i > 0 ? `parentId: q.text().optional().references("items${i - 1}"),` : ''}
    organizationId: q.scope("organization"),
  },
  read: { access: { roles: ["member+"] } },
  crud: { create: { access: { roles: ["member+"] } }, update: { access: { roles: ["admin+"] } }, delete: { access: { roles: ["owner"] } } },
});
`;
}

function makeProject(count: number): string {
  const root = path.join(repo, '.out', `bench-${count}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(path.join(root, 'quickback', 'features'), { recursive: true });
  writeFileSync(path.join(root, 'quickback', 'quickback.config.ts'), config);
  for (let i = 0; i < count; i++) {
    const dir = path.join(root, 'quickback', 'features', `items${i}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `items${i}.ts`), featureSource(i));
  }
  return root;
}

function coldCompile(root: string): number {
  rmSync(path.join(root, 'src'), { recursive: true, force: true });
  rmSync(path.join(root, 'quickback', 'drizzle'), { recursive: true, force: true });
  rmSync(path.join(root, 'quickback', '.quickback'), { recursive: true, force: true });
  const started = performance.now();
  execFileSync(process.execPath, [bin, 'compile', '--cwd', root], { stdio: 'ignore' });
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const results: Record<number, number> = {};
for (const size of SIZES) {
  const root = makeProject(size);
  const times = Array.from({ length: RUNS }, () => coldCompile(root));
  results[size] = median(times);
  console.log(`${String(size).padStart(4)} features: median ${results[size].toFixed(0)} ms  (runs: ${times.map((t) => t.toFixed(0)).join(', ')})`);
}
console.log(`ratio 100/10: ${(results[100] / results[10]).toFixed(2)}x`);
console.log(`goal 100 features ≤ 2000 ms: ${results[100] <= 2000 ? 'met' : 'NOT met'} (${results[100].toFixed(0)} ms)`);
