// A vitest reporter that ends the run with one plain line, `N passed, N failed, N skipped`, for CI. Before it, one line
// per third-party data path that was absent (suites titled `… [needs ../shared/<path>]`, see shared-data.ts), so a
// run without `../shared` says what it did not check.
import type { Reporter, TestModule } from "vitest/node";

const NEEDS = /\[needs (\.\.\/shared\/[^\]]+)\]/;

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const absent = new Map<string, { tests: number; files: Set<string> }>();
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else {
          skipped++;
          const m = NEEDS.exec(test.fullName);
          if (m) {
            const e = absent.get(m[1]!) ?? { tests: 0, files: new Set<string>() };
            e.tests++;
            e.files.add(mod.moduleId.replace(/^.*?\/test\//, "test/"));
            absent.set(m[1]!, e);
          }
        }
      }
      if (mod.state() === "failed" && [...mod.children.allTests()].length === 0) failed++;
    }
    for (const [path, e] of [...absent].sort())
      process.stdout.write(
        `skipped: ${e.tests} test(s) or suite(s) in ${[...e.files].sort().join(", ")}: ${path} is absent (third-party data beside the repo)\n`,
      );
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
