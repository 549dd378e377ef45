// Browser tests of the widgets (test/widgets/**) in headless Chromium, against the real BFF.
//
// The Hono app runs inside the test runner's dev server: a koa middleware forwards /api/* to
// `app.fetch` over an in-memory PGlite database that is migrated and seeded once, at server start.
// The server code is TypeScript: tsx's `tsImport` loads it, so plain `wtr` works (no NODE_OPTIONS).
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { tsImport } from 'tsx/esm/api';

/** @type {import('./test/widgets/support/test-bff.ts').TestBff | undefined} */
let bff;

/** @type {import('@web/test-runner').TestRunnerPlugin} */
const realBff = {
  name: 'customer-kit-bff',
  // Awaited before any browser opens, so the first test finds the database seeded.
  async serverStart({ logger }) {
    const { startTestBff } = await tsImport('./test/widgets/support/test-bff.ts', import.meta.url);
    bff = await startTestBff({ log: (line) => logger.log(line) });
  },
  async serverStop() {
    await bff?.stop();
  },
};

export default {
  files: 'test/widgets/**/*.test.ts',
  nodeResolve: true,
  // Ahead of the dev server's own middleware (file serving, etag caching), which /api must not reach.
  middleware: [(ctx, next) => (bff ? bff.middleware(ctx, next) : next())],
  // One browser page at a time: the tests share one seeded database and some of them write to it.
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  // The default page, with support/reportable-failures.ts first: a failed assertion about a DOM node
  // is then reported as failed, instead of holding back the whole file's results until testsFinishTimeout.
  testRunnerHtml: (testFramework) => `<!DOCTYPE html><html><head></head><body>
    <script type="module" src="/test/widgets/support/reportable-failures.ts"></script>
    <script type="module" src="${testFramework}"></script>
  </body></html>`,
  testsFinishTimeout: 180000,
  plugins: [realBff, esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--headless=new',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    }),
  ],
};
