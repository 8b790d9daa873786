/**
 * jscodeshift transform: legacy Quickback DSL forms to the current ones, per definition file.
 * - `defineResource(table, {...})` from "@quickback/core" → `defineTable(table, {...})` from
 *   "@quickback/compiler" (the import follows);
 * - `crud.list` / `crud.get` → `read`: their `access` becomes `read.access`; `list.fields`
 *   becomes the view `read.views.list` (and `read.defaultView: "list"`); `pageSize` /
 *   `maxPageSize` are dropped (the page size is the request's `?limit=`, default 50, max 100);
 * - top-level `views` → `read.views`.
 * A form with no faithful rewrite (list and get access that differ, `get.fields`, a `read` that
 * is already there, options that are not object literals) leaves the file unchanged and reports
 * a conflict with its line. Each file's outcome is written as JSON to `options.reportDir`.
 * @param {{ path: string, source: string }} file
 * @param {{ jscodeshift: import('jscodeshift').JSCodeshift }} api
 * @param {{ reportDir: string }} options
 */
const fs = require('node:fs');
const path = require('node:path');
const { createHash } = require('node:crypto');

const DEFINERS = ['feature', 'defineTable', 'defineResource'];

module.exports = function legacyDsl(file, api, options) {
  const j = api.jscodeshift;
  const rules = [];
  const conflicts = [];
  const write = (status) => {
    const name = createHash('sha256').update(file.path).digest('hex').slice(0, 16);
    fs.writeFileSync(path.join(options.reportDir, `${name}.json`), JSON.stringify({ file: file.path, status, rules, conflicts }));
  };
  let root;
  try {
    root = j(file.source);
  } catch (error) {
    conflicts.push({ line: error.loc && error.loc.line, reason: `the file does not parse: ${String(error.message).replace(/ \(\d+:\d+\)$/, '')}` });
    write('conflict');
    return null;
  }
  const keyOf = (p) => (p.key && (p.key.type === 'Identifier' ? p.key.name : p.key.value));
  const prop = (object, name) => object && object.type === 'ObjectExpression' ? object.properties.find((p) => (p.type === 'ObjectProperty' || p.type === 'Property') && keyOf(p) === name) : undefined;
  const remove = (object, property) => { object.properties.splice(object.properties.indexOf(property), 1); };
  const conflict = (node, reason) => conflicts.push({ line: node.loc ? node.loc.start.line : undefined, reason });
  const key = (name) => j.identifier(name);

  root.find(j.ImportDeclaration, { source: { value: '@quickback/core' } }).forEach((p) => {
    p.node.source = j.stringLiteral('@quickback/compiler');
    for (const specifier of p.node.specifiers || []) {
      if (specifier.type === 'ImportSpecifier' && specifier.imported.name === 'defineResource') {
        const local = specifier.local && specifier.local.name !== 'defineResource' ? specifier.local : null;
        p.node.specifiers[p.node.specifiers.indexOf(specifier)] = j.importSpecifier(j.identifier('defineTable'), local);
      }
    }
    rules.push('"@quickback/core" → "@quickback/compiler"');
  });
  root.find(j.CallExpression, { callee: { type: 'Identifier', name: 'defineResource' } }).forEach((p) => {
    p.node.callee = j.identifier('defineTable');
    if (!rules.includes('defineResource → defineTable')) rules.push('defineResource → defineTable');
  });

  root.find(j.CallExpression).filter((p) => p.node.callee.type === 'Identifier' && DEFINERS.includes(p.node.callee.name)).forEach((p) => {
    const options = p.node.arguments[1];
    if (!options) return;
    if (options.type !== 'ObjectExpression') {
      if (rules.length > 0) conflict(options, `the options of ${p.node.callee.name}(...) are not an object literal`);
      return;
    }
    upgradeOptions(options);
  });

  function upgradeOptions(options) {
    const views = prop(options, 'views');
    const crudProp = prop(options, 'crud');
    const crud = crudProp && crudProp.value;
    const list = prop(crud, 'list');
    const get = prop(crud, 'get');
    if (!views && !list && !get) return;
    const readProp = prop(options, 'read');
    if (readProp && readProp.value.type !== 'ObjectExpression') return conflict(readProp, '`read` is not an object literal');
    const read = readProp ? readProp.value : j.objectExpression([]);
    for (const part of [list, get]) if (part && part.value.type !== 'ObjectExpression') return conflict(part, `crud.${keyOf(part)} is not an object literal`);
    const access = [list, get].map((part) => prop(part && part.value, 'access')).filter(Boolean);
    if (access.length === 2 && j(access[0].value).toSource() !== j(access[1].value).toSource()) {
      return conflict(get, 'crud.list.access and crud.get.access differ: merge them into read.access by hand');
    }
    if (access.length > 0 && prop(read, 'access')) return conflict(readProp, '`read.access` exists next to crud.list/crud.get access: keep one by hand');
    const getFields = prop(get && get.value, 'fields');
    if (getFields) return conflict(getFields, 'crud.get.fields has no current form (read views apply to lists): remove it or make a view by hand');
    const listFields = prop(list && list.value, 'fields');
    for (const part of [list, get].filter(Boolean)) {
      const other = part.value.properties.find((q) => !['access', 'fields', 'pageSize', 'maxPageSize'].includes(keyOf(q)));
      if (other) return conflict(other, `crud.${keyOf(part)}.${keyOf(other) || '…'} has no current form: move it by hand`);
    }
    const readViews = prop(read, 'views');
    if (views && readViews) return conflict(views, 'both `views` and `read.views` exist: merge them by hand');
    if (listFields && (readViews || views) && prop((readViews || views).value, 'list')) return conflict(listFields, 'crud.list.fields and a view named "list" both exist: merge them by hand');

    if (access.length > 0) {
      const moved = j.objectProperty(key('access'), access[0].value);
      moved.comments = [list, get].flatMap((part) => (part && part.comments) || []);
      read.properties.unshift(moved);
      rules.push(`crud.${list && prop(list.value, 'access') ? 'list' : 'get'}${access.length === 2 ? '/get' : ''}.access → read.access`);
    }
    let viewsObject = readViews ? readViews.value : null;
    if (views) {
      remove(options, views);
      const moved = j.objectProperty(key('views'), views.value);
      moved.comments = views.comments || null;
      read.properties.push(moved);
      viewsObject = views.value;
      rules.push('views → read.views');
    }
    if (listFields) {
      if (!viewsObject) {
        viewsObject = j.objectExpression([]);
        read.properties.push(j.objectProperty(key('views'), viewsObject));
      }
      viewsObject.properties.push(j.objectProperty(key('list'), j.objectExpression([j.objectProperty(key('fields'), listFields.value)])));
      if (!prop(read, 'defaultView')) read.properties.push(j.objectProperty(key('defaultView'), j.stringLiteral('list')));
      rules.push('crud.list.fields → read.views.list (the default view)');
    }
    for (const part of [list, get].filter(Boolean)) {
      for (const size of ['pageSize', 'maxPageSize']) if (prop(part.value, size)) rules.push(`crud.${keyOf(part)}.${size} dropped (page size is ?limit=, default 50, max 100)`);
      remove(crud, part);
    }
    if (crud && crud.properties.length === 0) remove(options, crudProp);
    if (!readProp) {
      const at = crudProp && options.properties.includes(crudProp) ? options.properties.indexOf(crudProp) : options.properties.length;
      options.properties.splice(at, 0, j.objectProperty(key('read'), read));
    }
  }

  const status = conflicts.length > 0 ? 'conflict' : rules.length > 0 ? 'rewritten' : 'unchanged';
  write(status);
  if (status !== 'rewritten') return null;
  // Reprinted nodes follow the file's habits: quotes and trailing commas.
  const single = (file.source.match(/'/g) || []).length > (file.source.match(/"/g) || []).length;
  const trailingComma = /,[ \t]*\r?\n[ \t]*[}\]]/.test(file.source);
  return root.toSource({ quote: single ? 'single' : 'double', trailingComma });
};
module.exports.parser = 'ts';
