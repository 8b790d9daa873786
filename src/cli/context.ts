/**
 * @module cli/context
 * What every command gets: resolving --cwd and printing its help.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { QuickbackError } from '../shared/errors.js';
import { out } from './output.js';

export interface CommandContext {
  cwd(flag: unknown): string;
  help(text: string): number;
}

export const commandContext: CommandContext = {
  cwd(flag) {
    const dir = path.resolve(typeof flag === 'string' ? flag : process.cwd());
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new QuickbackError('QB_CLI_CWD_NOT_FOUND', `--cwd ${dir} is not a directory`, {
        hint: 'Pass the folder that contains quickback/.',
      });
    }
    return dir;
  },
  help(text) {
    out(text);
    return 0;
  },
};
