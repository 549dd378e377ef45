// `cem analyze` reads the elements' JSDoc headers (their public contract) into custom-elements.json.
// The plugin below keeps the manifest to what a page can use: the five tags, their attributes,
// public properties and methods, typed `ck-…` events, parts, slots and custom properties.

/** `{ state: true }` entries of each class's `static properties`, by module and class: internal state, no attribute. */
const states = new Map();
/** `Element.define('tag')` calls (the kit's registration, `KitElement.define`), by module. */
const defines = new Map();
/** The `detail` type of each event, as `GlobalEventHandlersEventMap` declares it (`'ck-…': CustomEvent<…>`). */
const eventTypes = new Map();

const add = (map, key, value) => map.set(key, [...(map.get(key) ?? []), value]);

export default {
  globs: ['widgets/**/*.ts'],
  exclude: ['widgets/**/*.styles.ts', 'widgets/core/messages/**'],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
  plugins: [
    {
      name: 'customer-kit:public-surface',
      analyzePhase({ ts, node, moduleDoc }) {
        const text = (n) => (ts.isStringLiteralLike(n) || ts.isIdentifier(n) ? n.text : undefined);
        if (ts.isClassDeclaration(node) && node.name) {
          // The analyzer lists every entry of `static properties` as an attribute, the state ones too.
          const properties = node.members.find((m) => ts.isPropertyDeclaration(m) && text(m.name) === 'properties');
          const entries = properties?.initializer && ts.isObjectLiteralExpression(properties.initializer) ? properties.initializer.properties : [];
          for (const entry of entries) {
            const options = ts.isPropertyAssignment(entry) && ts.isObjectLiteralExpression(entry.initializer) ? entry.initializer.properties : [];
            if (options.some((o) => ts.isPropertyAssignment(o) && text(o.name) === 'state' && o.initializer.kind === ts.SyntaxKind.TrueKeyword)) {
              add(states, `${moduleDoc.path}#${node.name.text}`, text(entry.name));
            }
          }
        }
        // `CustomerList.define('customer-list')`: a definition the analyzer, which knows only
        // `customElements.define(…)`, does not see.
        if (
          ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && text(node.expression.name) === 'define' &&
          ts.isIdentifier(node.expression.expression) && node.expression.expression.text !== 'customElements' &&
          node.arguments.length === 1 && ts.isStringLiteralLike(node.arguments[0])
        ) {
          add(defines, moduleDoc.path, { tag: node.arguments[0].text, className: node.expression.expression.text });
        }
        if (ts.isInterfaceDeclaration(node) && node.name.text === 'GlobalEventHandlersEventMap') {
          for (const m of node.members) if (ts.isPropertySignature(m) && m.type) eventTypes.set(text(m.name), m.type.getText());
        }
      },
      moduleLinkPhase({ moduleDoc }) {
        for (const declaration of moduleDoc.declarations ?? []) {
          const internal = new Set(states.get(`${moduleDoc.path}#${declaration.name}`));
          if (declaration.attributes) declaration.attributes = declaration.attributes.filter((a) => !internal.has(a.fieldName));
          for (const member of declaration.members ?? []) if (internal.has(member.name)) delete member.attribute;
        }
      },
      // After the analyzer's own linking (tag names, inheritance), which runs first.
      packageLinkPhase({ customElementsManifest }) {
        const { modules } = customElementsManifest;
        const classes = new Map(modules.flatMap((m) => (m.declarations ?? []).filter((d) => d.kind === 'class').map((d) => [d.name, { d, module: m.path }])));
        for (const module of modules) {
          // `customElements.define(tag, ctor)` inside `KitElement.define` is no definition of its own.
          const exports = (module.exports ?? []).filter((e) => e.kind !== 'custom-element-definition' || classes.has(e.declaration.name));
          for (const { tag, className } of defines.get(module.path) ?? []) {
            const defined = classes.get(className);
            if (!defined) continue;
            defined.d.tagName ??= tag;
            exports.push({ kind: 'custom-element-definition', name: tag, declaration: { name: className, module: defined.module } });
          }
          module.exports = exports;
        }
        for (const module of modules) {
          for (const declaration of module.declarations ?? []) {
            // An element has a tag (`@tag`, or its `.define()`); a base class (`KitElement`) is a class, not an element.
            if (declaration.tagName) declaration.customElement = true;
            else delete declaration.customElement;
            // Private and protected members are no part of the surface.
            if (declaration.members) declaration.members = declaration.members.filter((m) => !m.privacy || m.privacy === 'public');
            // Events are those the JSDoc names (`@fires`), not what `dispatchEvent(new CustomEvent(name))` seems to
            // say; one the JSDoc gives no type has the one GlobalEventHandlersEventMap declares (`ck-session-expired`).
            if (declaration.events) {
              declaration.events = declaration.events
                .filter((e) => e.description)
                .map((e) => (e.type || !eventTypes.has(e.name) ? e : { ...e, type: { text: eventTypes.get(e.name) } }));
            }
          }
        }
      },
    },
  ],
};
