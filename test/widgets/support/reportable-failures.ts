// Loaded before the test framework on every test page (testRunnerHtml in web-test-runner.config.mjs).
//
// web-test-runner sends a file's results to Node in one message that it first copies with
// structuredClone (@web/dev-server-core's web-socket module), failures' `actual` and `expected`
// included. A DOM node, a function or a window cannot be copied: the copy throws, the message is never
// sent, and the whole file ends as "did not finish within 180000ms" instead of naming the failed
// assertion (modernweb-dev/web#2967). So a failed assertion carries what cannot be copied as chai's
// text for it, the same text its message shows.
//
// The chai that @open-wc/testing re-exports, imported directly: @open-wc/testing itself, loaded before
// mocha is set up, would not register its fixture cleanup.
import { Assertion, AssertionError, util } from '@esm-bundle/chai';

/** The value itself when the runner can copy it, else chai's description of it. */
function reportable(value: unknown): unknown {
  try {
    structuredClone(value);
    return value;
  } catch {
    return util.inspect(value);
  }
}

const assert = Assertion.prototype.assert;
Assertion.prototype.assert = function (...args: Chai.AssertionArgs) {
  try {
    assert.apply(this, args);
  } catch (error) {
    if (error instanceof AssertionError) {
      const failure = error as Chai.AssertionError & { actual?: unknown; expected?: unknown };
      failure.actual = reportable(failure.actual);
      failure.expected = reportable(failure.expected);
    }
    throw error;
  }
};
