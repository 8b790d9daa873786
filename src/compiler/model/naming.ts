/**
 * @module compiler/model/naming
 * Name transforms used by the model: SQL column names, URL slugs, id prefixes, plural table names.
 */

/** `organizationId` → `organization_id`, `HTTPStatus` → `http_status`, `job-postings` → `job_postings`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[-\s]+/g, '_')
    .toLowerCase();
}

/** `jobPostings` → `job-postings` (the URL segment and file-name base of a feature). */
export function kebabCase(name: string): string {
  return snakeCase(name).replace(/_/g, '-');
}

export function columnName(key: string, convention: 'camelCase' | 'snake_case'): string {
  return convention === 'snake_case' ? snakeCase(key) : key;
}

/**
 * Prefix for `generateId: "prefixed"`: the first character and the next two consonants of the
 * table name, case preserved (`candidates` → `cnd`, `jobPostings` → `jbP`), padded from the name.
 */
export function idPrefix(tableName: string): string {
  const letters = tableName.replace(/[^A-Za-z0-9]/g, '');
  if (letters.length === 0) return 'id';
  const consonants = [...letters.slice(1)].filter((ch) => /[A-Za-z]/.test(ch) && !/[aeiouAEIOU]/.test(ch));
  let prefix = letters[0] + consonants.slice(0, 2).join('');
  for (const ch of letters.slice(1)) {
    if (prefix.length >= 3) break;
    if (!prefix.slice(1).includes(ch)) prefix += ch;
  }
  return prefix.slice(0, 3);
}

/** Plural for Better Auth model names (`usePlurals`): user → users, apikey → apikeys. */
export function plural(name: string): string {
  if (/(s|x|z|ch|sh)$/.test(name)) return `${name}es`;
  if (/[^aeiou]y$/.test(name)) return `${name.slice(0, -1)}ies`;
  return `${name}s`;
}
