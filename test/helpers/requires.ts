/**
 * Suites that need something of the machine (Bun from the `bun` package, tmux, a browser) never
 * disappear silently: when it is missing, the reason is printed and the suite is skipped, and
 * under CI (`CI` set, as `.ci/run` does) the test file fails instead.
 */
const said = new Set<string>();

/** Whether `what` can be used here; `fix` says how to get it. Throws under CI when it cannot. */
export function requires(what: string, available: boolean, fix: string): boolean {
  if (available) return true;
  const message = `${what} is not available on this machine: ${fix}`;
  if (process.env.CI) throw new Error(`${message}. Under CI no suite may be skipped.`);
  if (!said.has(what)) console.warn(`[requires] ${message}; the suites that need it are skipped.`);
  said.add(what);
  return false;
}
