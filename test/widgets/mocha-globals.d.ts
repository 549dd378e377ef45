// The mocha globals the browser tests use (web-test-runner runs mocha in the page). Declared here
// rather than installing @types/mocha, which would also clash with node's test runner types.
interface MochaContext {
  timeout(ms: number): void;
  skip(): never;
}
type MochaFn = (this: MochaContext) => unknown;
declare function describe(title: string, fn: (this: MochaContext) => void): void;
declare function it(title: string, fn: MochaFn): void;
declare function before(fn: MochaFn): void;
declare function after(fn: MochaFn): void;
declare function beforeEach(fn: MochaFn): void;
declare function afterEach(fn: MochaFn): void;
