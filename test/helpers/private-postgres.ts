/**
 * The fallback when no PostgreSQL answers at 127.0.0.1:5432: a private, throw-away cluster from
 * the machine's own PostgreSQL binaries (initdb + pg_ctl, trust auth, a free port, a socket
 * directory of its own), as stack-feasibility §4 measured (~1.5 s). PGlite cannot stand in for
 * the server here: it is one backend per instance, and the generated API holds a transaction on
 * one pooled connection while Better Auth queries on another.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function reachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The newest installed PostgreSQL's bin directory, or null. */
export function postgresBin(root = '/usr/lib/postgresql'): string | null {
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? path.join(root, versions[0], 'bin') : null;
}

export interface PrivateCluster { url: string; stop(): void }

/** Starts a private cluster on `port`; as root, its files belong to the `postgres` user (PostgreSQL refuses to run as root). */
export function startPrivateCluster(bin: string, port: number): PrivateCluster {
  const dir = mkdtempSync(path.join(tmpdir(), 'qb-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]) => {
    if (!asRoot) return execFileSync(path.join(bin, command), args, { stdio: 'pipe' });
    const quoted = [path.join(bin, command), ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    return execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', quoted], { stdio: 'pipe' });
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync']);
  run('pg_ctl', ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-w', '-l', path.join(dir, 'log'), 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try { run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']); } finally { rmSync(dir, { recursive: true, force: true }); }
    },
  };
}
