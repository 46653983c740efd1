// Counts from vitest's JSON report, shared by scripts/test.mjs and scripts/test-node-versions.mjs.
// A file that failed outside any test (an import error, a beforeAll that threw) counts as one
// failure; vitest's numFailedTestSuites would count a failed test again for each describe around it.
export function countResults(report) {
  const files = report.testResults ?? []
  const brokenFiles = files.filter((file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed')).length
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + brokenFiles,
    skipped: report.numPendingTests + report.numTodoTests,
    total: report.numTotalTests,
  }
}
