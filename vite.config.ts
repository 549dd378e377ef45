import { resolve } from 'node:path';
import ts from 'typescript';
import { defineConfig, type Plugin } from 'vite';

// Two library builds into dist/, both ES modules with Lit bundled and minified:
//   vite build                  → dist/customer-kit.js: the whole kit as ONE module, for a CMS
//                                 `<script type="module" src=".../customer-kit.js">`; only German,
//                                 loaded on first use, is a chunk beside it (dist/chunks/de-….js).
//   vite build --mode elements  → dist/customer-list.js, … : one entry per element (plus dist/core.js
//                                 for `configure()`), sharing Lit through chunks under dist/chunks/,
//                                 for hosts that load only the elements they use; and
//                                 dist/customer-list.component.js, … : the classes alone, registered
//                                 under no tag.
// `npm run build` runs both. A single multi-entry build cannot give a one-file customer-kit.js:
// Rollup/Rolldown must split the code the entries share into chunks.
const root = import.meta.dirname;
const kit: Record<string, string> = { 'customer-kit': resolve(root, 'widgets/index.ts') };
const elements = {
  core: resolve(root, 'widgets/core/index.ts'),
  'customer-list': resolve(root, 'widgets/customer-list/customer-list.ts'),
  'customer-detail': resolve(root, 'widgets/customer-detail/customer-detail.ts'),
  'credit-usage': resolve(root, 'widgets/credit-usage/credit-usage.ts'),
  'coupon-manager': resolve(root, 'widgets/coupon-manager/coupon-manager.ts'),
  'waiver-status': resolve(root, 'widgets/waiver-status/waiver-status.ts'),
};
// …and each element's class without registering it, for a host that picks its own tag names.
const classes: Record<string, string> = Object.fromEntries(
  Object.keys(elements)
    .filter((name) => name !== 'core')
    .map((name) => [`${name}.component`, resolve(root, `widgets/${name}/${name}.component.ts`)]),
);

/**
 * Markup: whitespace holding a line break becomes one space, which is all the browser renders of it;
 * at the template's own edges, next to a tag, it goes (the kit's templates are blocks, laid out over
 * lines, not words of a sentence).
 */
const markup = (text: string, first: boolean, last: boolean) => {
  if (first) text = text.replace(/^\s*\n\s*(?=<)/, '');
  if (last) text = text.replace(/(?<=>)\s*\n\s*$/, '');
  return text.replace(/\s*\n\s*/g, ' ');
};

/** A template's text without the space at its own start and end (the part's edge, not a `${…}`'s). */
const edges = (text: string, first: boolean, last: boolean) => {
  if (first) text = text.replace(/^ /, '');
  if (last) text = text.replace(/ $/, '');
  return text;
};

/**
 * CSS: no comments, and none of the spaces that carry no meaning: around `{};,>`, the `+` and `~`
 * combinators and `!important`, around `*` and `/` before a number (`calc(var(--_space)*1.5)`,
 * `grid-area:1/2`; `+` and `-` in `calc()` need theirs), and at the stylesheet's edges. Also the
 * shorter spellings of the same values: `.5` for `0.5`, `#fff` for `#ffffff`, and attribute
 * selectors' values unquoted where they are plain words (`[theme=light]`).
 */
const styles = (text: string) =>
  text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?([{};,>]) ?/g, '$1')
    .replace(/: /g, ':')
    .replace(/;}/g, '}')
    // A selector (or an at-rule's prelude) runs from the end of the last block or declaration to its `{`.
    .replace(/[^{};]+(?=\{)/g, (selector) => selector.replace(/ ?([+~]) ?/g, '$1'))
    .replace(/ !important/g, '!important')
    .replace(/ ([*/]) (?=[\d.])/g, '$1')
    .replace(/(?<![\w.#-])0\.(?=\d)/g, '.')
    .replace(/#([\da-f])\1([\da-f])\2([\da-f])\3\b/gi, '#$1$2$3')
    .replace(/\[([\w-]+)='([a-z][\w-]*)'\]/gi, '[$1=$2]');

/**
 * Minifies the static text of Lit's `html`, `svg` and `css` tagged templates at build time (as
 * `minify-html-literals` does, without its dependencies). Only the literal parts change; the `${…}`
 * expressions between them are left alone. The minifier Vite runs afterwards keeps template text as
 * it is, and the kit's templates are most of its weight.
 */
function minifyTemplates(): Plugin {
  return {
    name: 'customer-kit:minify-templates',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/widgets\/.*\.ts$/.test(id) || !/(html|svg|css)`/.test(code)) return null;
      const file = ts.createSourceFile(id, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      const edits: [start: number, end: number, text: string][] = [];
      const visit = (node: ts.Node): void => {
        if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && /^(html|svg|css)$/.test(node.tag.text)) {
          const t = node.template;
          const parts = ts.isNoSubstitutionTemplateLiteral(t) ? [t] : [t.head, ...t.templateSpans.map((s) => s.literal)];
          for (const [i, part] of parts.entries()) {
            // The raw text between the delimiters: ` or } before it, ` or ${ after it.
            const start = part.getStart(file) + 1;
            const end = part.end - (ts.isTemplateHead(part) || ts.isTemplateMiddle(part) ? 2 : 1);
            const raw = code.slice(start, end);
            const text = node.tag.text === 'css' ? edges(styles(raw), i === 0, i === parts.length - 1) : markup(raw, i === 0, i === parts.length - 1);
            if (text !== raw) edits.push([start, end, text]);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
      if (!edits.length) return null;
      let out = code;
      for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + text + out.slice(end);
      return { code: out, map: null };
    },
  };
}

const LIT_NOTICE = '/*! Lit, @lit/context, @lit/task: Copyright 2017-2021 Google LLC, SPDX-License-Identifier: BSD-3-Clause */';

export default defineConfig(({ mode }) => ({
  publicDir: false,
  plugins: [minifyTemplates()],
  build: {
    target: 'es2022',
    minify: true,
    sourcemap: true,
    emptyOutDir: mode !== 'elements',
    outDir: 'dist',
    lib: {
      entry: mode === 'elements' ? { ...elements, ...classes } : kit,
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rolldownOptions: {
      output: {
        chunkFileNames: 'chunks/[name]-[hash].js',
        // \`build.minify\` alone leaves whitespace in ES library output (Vite keeps it readable for
        // downstream bundlers); these files go to browsers as they are, so minify them fully.
        minify: true,
        // Lit's BSD-3-Clause notice, once per file that holds Lit code rather than once per Lit module.
        comments: false,
        postBanner: (chunk) => (chunk.moduleIds.some((id) => /\/node_modules\/(@?lit|lit-html|lit-element)\//.test(id)) ? LIT_NOTICE : ''),
      },
    },
  },
}));
