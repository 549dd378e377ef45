import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// Builds the React example into dist/examples/react/app.js and app.css (React bundled, the kit left external:
// the page loads /kit/customer-kit.js, as any host would). JSX needs no plugin: Vite's own
// transform handles .jsx with the automatic runtime.
const here = import.meta.dirname;

export default defineConfig({
  root: here,
  publicDir: false,
  logLevel: 'warn',
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    target: 'es2022',
    outDir: resolve(here, '../../../dist/examples/react'),
    emptyOutDir: true,
    minify: true,
    lib: { entry: resolve(here, 'main.jsx'), formats: ['es'], fileName: () => 'app.js', cssFileName: 'app' },
    rolldownOptions: { external: ['/kit/customer-kit.js'], output: { minify: true } },
  },
});
