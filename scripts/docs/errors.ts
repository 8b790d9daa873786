/**
 * @module scripts/docs/errors
 * docs/reference/errors.md from the one `QB_*` registry (src/shared/error-codes.ts): every code
 * the toolchain reports, grouped by the stage its second word names, in the registry's order.
 */
import { errorCodes } from '../../src/shared/error-codes.js';
import { GENERATED, table } from './markdown.js';

/** Stages by the code's second word, in the order a compile meets them. */
const stages: [prefix: string, title: string][] = [
  ['LOAD', 'Loading the project (`quickback/`)'],
  ['DSL', 'The DSL, while definitions run'],
  ['VALIDATE', 'Validation (all problems at once; exit 1, nothing written)'],
  ['WARN', 'Warnings (printed; the compile goes on)'],
  ['MIGRATE', 'Migrations'],
  ['KEYS', '`quickback keys` (data keys of encrypted columns)'],
  ['EMIT', 'Emitting'],
  ['WRITE', 'Writing the output'],
  ['CHECK', '`quickback compile --check`'],
  ['DEV', '`quickback dev`'],
  ['CLI', 'The command line'],
  ['CREATE', '`create-quickback`'],
  ['GEN', 'Generators (`add`, `remove`, `enable`, `disable`, `upgrade`, `undo`)'],
  ['LOCK', 'The project lock'],
  ['INTERNAL', 'Anything else (a bug)'],
];

function stageOf(code: string): string {
  return code.split('_')[1];
}

export function errorsPage(): string {
  const codes = Object.entries(errorCodes) as [string, string][];
  const unknown = codes.filter(([code]) => !stages.some(([prefix]) => prefix === stageOf(code)));
  if (unknown.length > 0)
    throw new Error(
      `docs: no section for ${unknown.map(([c]) => c).join(', ')} (add its stage to scripts/docs/errors.ts)`,
    );
  const parts = [
    '# Error codes',
    '',
    GENERATED,
    '',
    `Every \`QB_*\` code the compiler, the CLI, the generators and the scaffolder report (${codes.length} in all).`,
    'Tools and tests branch on the code, never on the message. A problem is printed with its code,',
    'the file (line and column when known), the path inside the definition and a hint; `--json`',
    'carries the same fields. `QB_WARN_*` codes are warnings; most others stop the command with exit 1',
    '(`QB_INTERNAL` exits 2), while a few are notices the command goes on after (a discarded cache, a',
    'migration `quickback dev` holds back, a deploy placeholder).',
    '',
    'The generated app answers HTTP errors with its own codes (`{ error, layer, code, details?, hint? }`);',
    'those are described in [access and security](../guide/access-and-security.md#errors).',
    '',
  ];
  for (const [prefix, title] of stages) {
    const rows = codes.filter(([code]) => stageOf(code) === prefix).map(([code, what]) => [`\`${code}\``, what]);
    if (rows.length === 0) continue;
    parts.push(`## ${title}`, '', table(['code', 'meaning'], rows), '');
  }
  return parts.join('\n');
}
