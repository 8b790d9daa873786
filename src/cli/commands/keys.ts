/**
 * @module cli/commands/keys
 * `quickback keys rotate [--org ID]`: re-wraps every organization's data keys (or one's) under
 * the current ENCRYPTION_KEK, opening them with ENCRYPTION_KEK_PREVIOUS; data rows are not
 * touched. `quickback keys shred --org ID --yes`: crypto-shredding, deletes the organization's
 * data keys so none of its encrypted values can be read again (other organizations untouched).
 * Local SQLite files (.env), or D1 through wrangler (`--remote` for the deployed database).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { analyze } from '../../compiler/index.js';
import { d1Store, pgStore, sqliteStore, type OpenStore } from '../../compiler/keys/stores.js';
import { readAppEnv } from '../../compiler/load/env.js';
import { DataKeys } from '../../runtime/crypto/data-keys.js';
import { importKek } from '../../runtime/crypto/envelope.js';
import { invalidKekEnv, kekSecrets } from '../../runtime/crypto/encryption.js';
import { isQuickbackError, QuickbackError } from '../../shared/errors.js';
import { commonFlags, parseFlags } from '../args.js';
import type { CommandContext } from '../context.js';
import { color, out, printJson } from '../output.js';
import { resolveDatabaseUrl } from '../../compiler/migrate/targets.js';

const usage = {
  rotate: [
    'quickback keys rotate [--org ID] [--remote] [--cwd DIR] [--json]',
    `rotate  Re-wraps the data keys of encrypted columns under the current ENCRYPTION_KEK, opening
        them with ENCRYPTION_KEK_PREVIOUS (comma-separated). Data rows are not rewritten.`,
  ],
  shred: [
    'quickback keys shred --org ID --yes [--remote] [--cwd DIR] [--json]',
    `shred   Crypto-shredding: deletes the organization's data keys. None of its encrypted values
        can be read afterwards, from any copy of the database. Cannot be undone.`,
  ],
};

/** `quickback keys --help` covers both verbs; `quickback keys rotate --help` only rotate. */
export function keysHelp(verb?: string): string {
  const shown = verb === 'rotate' || verb === 'shred' ? [usage[verb]] : Object.values(usage);
  return `${shown.map(([line]) => line).join('\n')}

${shown.map(([, about]) => about).join('\n')}

Keys come from the environment, then .env (Node, Bun) or .dev.vars (Workers). The database is
the app's local one (DATABASE_URL); on Workers, wrangler's local D1, or the deployed one with --remote.`;
}

const flags = {
  ...commonFlags,
  org: { type: 'string' },
  yes: { type: 'boolean' },
  remote: { type: 'boolean' },
} as const;

export async function runKeys(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseFlags(argv, flags);
  const verb = positionals[0];
  if (values.help) return ctx.help(keysHelp(verb));
  if (verb !== 'rotate' && verb !== 'shred')
    throw new QuickbackError('QB_CLI_INVALID_FLAG', `quickback keys ${verb ?? ''}: expected rotate or shred`.trim(), {
      hint: keysHelp().split('\n').slice(0, 2).join('\n'),
    });
  const org = typeof values.org === 'string' && values.org.length > 0 ? values.org : undefined;
  if (verb === 'shred' && !org)
    throw new QuickbackError('QB_CLI_INVALID_FLAG', 'quickback keys shred needs --org <organization id>', {
      hint: "Shredding deletes one organization's keys: quickback keys shred --org org_123 --yes",
    });
  if (verb === 'shred' && values.yes !== true)
    throw new QuickbackError('QB_KEYS_CONFIRM', `Shredding makes every encrypted value of ${org} unreadable for good`, {
      hint: `Add --yes to confirm: quickback keys shred --org ${org} --yes`,
    });
  const { project, model } = await analyze(ctx.cwd(values.cwd));
  if (!model.encryption)
    throw new QuickbackError('QB_KEYS_NO_ENCRYPTION', 'This project has no encrypted columns, so it has no data keys', {
      hint: 'Mark a text column .encrypted() first.',
    });
  const appRoot = path.resolve(project.root, model.build.outputDir);
  const env = readAppEnv(appRoot, model.cloudflare ? '.dev.vars' : '.env');
  const opened = await openStore(appRoot, model, env, values.remote === true);
  try {
    if (verb === 'shred') {
      const removed = await opened.store.remove(org!);
      if (values.json) printJson({ ok: true, command: 'keys shred', organization: org, removed });
      else
        out(
          `${color.green('✔')} ${org}: ${removed} data key${
            removed === 1 ? '' : 's'
          } deleted; its encrypted values can no longer be read`,
        );
      return 0;
    }
    if (invalidKekEnv(env).length > 0 || !env.ENCRYPTION_KEK) {
      throw new QuickbackError(
        'QB_KEYS_BAD_KEK',
        `ENCRYPTION_KEK${env.ENCRYPTION_KEK ? ' or ENCRYPTION_KEK_PREVIOUS is not a key' : ' is not set'}`,
        {
          hint:
            'Keys are 32 bytes as 64 hex digits (openssl rand -hex 32); ENCRYPTION_KEK_PREVIOUS may list several, comma-separated.',
        },
      );
    }
    const keys = new DataKeys(opened.store, await Promise.all(kekSecrets(env).map(importKek)));
    const changed = await keys.rewrapAll(org).catch((err: unknown) => {
      throw new QuickbackError(
        'QB_KEYS_FAILED',
        `A data key could not be opened: ${err instanceof Error ? err.message : String(err)}`,
        { hint: 'Set ENCRYPTION_KEK_PREVIOUS to the key that wrapped it.' },
      );
    });
    if (values.json) printJson({ ok: true, command: 'keys rotate', rewrapped: changed });
    else
      out(
        `${color.green('✔')} ${changed} data key${
          changed === 1 ? '' : 's'
        } re-wrapped under the current ENCRYPTION_KEK${org ? ` (${org})` : ''}`,
      );
    return 0;
  } catch (err) {
    if (isQuickbackError(err)) throw err;
    throw new QuickbackError(
      'QB_KEYS_FAILED',
      `The data keys could not be read or written: ${err instanceof Error ? err.message : String(err)}`,
      {
        cause: err,
        hint: 'Check DATABASE_URL (or the D1 binding) and that the migrations are applied (quickback migrate).',
      },
    );
  } finally {
    opened.close();
  }
}

function openStore(
  appRoot: string,
  model: Awaited<ReturnType<typeof analyze>>['model'],
  env: Record<string, string | undefined>,
  remote: boolean,
): Promise<OpenStore> | OpenStore {
  if (model.cloudflare) {
    const features = model.cloudflare.d1.find((d) => d.logical === 'features') ?? model.cloudflare.d1[0];
    return d1Store(appRoot, features.databaseName, remote);
  }
  if (remote)
    throw new QuickbackError('QB_CLI_INVALID_FLAG', '--remote is for Workers projects (D1)', {
      hint: 'Point DATABASE_URL at the database instead.',
    });
  if (model.database.dialect === 'postgresql') {
    if (!env.DATABASE_URL)
      throw new QuickbackError('QB_KEYS_FAILED', 'DATABASE_URL is not set', {
        hint: 'Put your PostgreSQL URL in .env (or the environment).',
      });
    return pgStore(env.DATABASE_URL, model.encryption!.table);
  }
  const url = resolveDatabaseUrl(env.DATABASE_URL ?? 'file:./data/features.db', appRoot);
  if (model.database.kind === 'better-sqlite3' && !existsSync(url.replace(/^file:/, ''))) {
    throw new QuickbackError('QB_KEYS_FAILED', `No database at ${url}`, {
      hint: 'Run quickback migrate (or start the app) first, or set DATABASE_URL.',
    });
  }
  return sqliteStore(
    model.database.kind === 'libsql' ? 'libsql' : 'better-sqlite3',
    url,
    model.encryption!.table,
    env.DATABASE_AUTH_TOKEN,
  );
}
