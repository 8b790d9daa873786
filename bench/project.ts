/**
 * The generated projects `bench:compile` and `bench:devloop` measure: `count` features (items0 …)
 * on Node + better-sqlite3 with organizations, each with searchable, filterable, optional and
 * JSON columns, an organization scope and a reference to the feature before it, written under the
 * git-ignored `.out/` so the compiled app resolves its packages from our node_modules.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = fileURLToPath(new URL('..', import.meta.url));
export const bin = path.join(repo, 'bin', 'quickback.js');

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

/** A fresh project of `count` features in `.out/<name>` (default `bench-<count>`); returns its root. */
export function makeProject(count: number, name = `bench-${count}`): string {
  const root = path.join(repo, '.out', name);
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

/** The definition file of feature items`i`. */
export const featureFile = (root: string, i: number) =>
  path.join(root, 'quickback', 'features', `items${i}`, `items${i}.ts`);

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
