import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// Two library builds into dist/, both ES modules with Lit bundled and minified:
//   vite build                  → dist/customer-kit.js: the whole kit as ONE self-contained module,
//                                 for a CMS `<script type="module" src=".../customer-kit.js">`.
//   vite build --mode elements  → dist/customer-list.js, … : one entry per element (plus dist/core.js
//                                 for `configure()`), sharing Lit through chunks under dist/chunks/,
//                                 for hosts that load only the elements they use.
// `npm run build` runs both. A single multi-entry build cannot give a one-file customer-kit.js:
// Rollup/Rolldown must split the code the entries share into chunks.
const root = import.meta.dirname;
const elements = {
  core: resolve(root, 'widgets/core/index.ts'),
  'customer-list': resolve(root, 'widgets/customer-list/customer-list.ts'),
  'credit-usage': resolve(root, 'widgets/credit-usage/credit-usage.ts'),
  'coupon-manager': resolve(root, 'widgets/coupon-manager/coupon-manager.ts'),
  'waiver-status': resolve(root, 'widgets/waiver-status/waiver-status.ts'),
};

export default defineConfig(({ mode }) => ({
  publicDir: false,
  build: {
    target: 'es2022',
    minify: true,
    sourcemap: true,
    emptyOutDir: mode !== 'elements',
    outDir: 'dist',
    lib:
      mode === 'elements'
        ? { entry: elements, formats: ['es'], fileName: (_format, name) => `${name}.js` }
        : { entry: { 'customer-kit': resolve(root, 'widgets/index.ts') }, formats: ['es'], fileName: (_format, name) => `${name}.js` },
    rolldownOptions: {
      output: {
        chunkFileNames: 'chunks/[name]-[hash].js',
        // \`build.minify\` alone leaves whitespace in ES library output (Vite keeps it readable for
        // downstream bundlers); these files go to browsers as they are, so minify them fully.
        minify: true,
        // Keep Lit's BSD-3-Clause notices.
        comments: { legal: true, annotation: false, jsdoc: false },
      },
    },
  },
}));
