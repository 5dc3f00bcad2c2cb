/**
 * Prints one plain closing line, "tests: N passed, N failed, N skipped[, N files failed outside tests]",
 * after a vitest run, so that CI logs state the count in a form any reader (or log scraper)
 * understands. A file or suite that fails outside any test (a beforeAll that throws, a browser
 * that cannot start) leaves its tests "skipped"; the file is counted so the line never
 * reads as a clean run when the run failed.
 */
import type { Reporter, SerializedError, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
  ): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    let brokenFiles = 0;
    for (const mod of testModules) {
      const suites = [...mod.children.allSuites()];
      if (mod.errors().length > 0 || suites.some((suite) => suite.errors().length > 0)) brokenFiles++;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
    }
    const outside = [
      brokenFiles > 0 ? `, ${brokenFiles} files failed outside tests` : '',
      unhandledErrors.length > 0 ? `, ${unhandledErrors.length} unhandled errors` : '',
    ].join('');
    console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped${outside}`);
  }
}
