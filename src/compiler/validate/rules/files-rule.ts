/**
 * @module compiler/validate/rules/files-rule
 * `defineFileStorage` options: `maxFileSize` must be a size ("10mb", "512kb", "2048"), each of
 * `allowedTypes` a MIME type or `type/*`, `publicDomain` a bare host name. Options this edition
 * has no use for warn: `managed` (the routes are always served; objects carry their own metadata,
 * so there is no files database) and, off Workers, the R2 `binding` and `bucketName`.
 */
import type { Diagnostic } from '../../../shared/diagnostics.js';
import { warning } from '../../../shared/diagnostics.js';
import type { LoadedProject } from '../../load/types.js';
import { parseSize } from '../../model/files.js';
import { configError, providerKind } from '../project.js';
import { valueAtDotted } from '../util.js';

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/(\*|[a-z0-9][a-z0-9!#$&^_.+-]*)$/i;
const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export function filesRule(project: LoadedProject): Diagnostic[] {
  if (providerKind(project.config, 'fileStorage') === undefined) return [];
  const option = (name: string) => valueAtDotted(project.config, `providers.fileStorage.options.${name}`);
  const out: Diagnostic[] = [];
  const size = option('maxFileSize');
  if (typeof size === 'string' && parseSize(size) === null) {
    out.push(
      configError(
        project,
        'QB_VALIDATE_INVALID_OPTION',
        `maxFileSize "${size}" is not a size`,
        'providers.fileStorage.maxFileSize',
        'Write it like "10mb", "512kb", "1gb" or a number of bytes.',
      ),
    );
  }
  const types = option('allowedTypes');
  if (Array.isArray(types)) {
    types.forEach((type, i) => {
      if (typeof type === 'string' && !MIME.test(type)) {
        out.push(
          configError(
            project,
            'QB_VALIDATE_INVALID_OPTION',
            `allowedTypes: "${type}" is not a MIME type`,
            `providers.fileStorage.allowedTypes[${i}]`,
            'Use types such as "image/png", "application/pdf", or "image/*" for a family.',
          ),
        );
      }
    });
  }
  const domain = option('publicDomain');
  if (typeof domain === 'string' && !HOST.test(domain)) {
    out.push(
      configError(
        project,
        'QB_VALIDATE_INVALID_OPTION',
        `publicDomain "${domain}" is not a host name`,
        'providers.fileStorage.publicDomain',
        'Give the bare host, such as "files.example.com" (no scheme, no path).',
      ),
    );
  }
  const noEffect = (name: string, why: string) =>
    warning('QB_WARN_OPTION_NO_EFFECT', `\`${name}\` has no effect: ${why}`, {
      file: project.configFile,
      at: `providers.fileStorage.${name}`,
      hint: 'Remove it.',
    });
  if (option('managed') !== undefined)
    out.push(
      noEffect(
        'managed',
        'the file routes (/storage/v1) are always served, and objects carry their own metadata (no files database)',
      ),
    );
  if (providerKind(project.config, 'runtime') !== 'cloudflare') {
    for (const name of ['binding', 'bucketName']) {
      if (option(name) !== undefined)
        out.push(noEffect(name, 'off Workers files live in a local folder (FILES_DIR, default data/files)'));
    }
  }
  return out;
}
