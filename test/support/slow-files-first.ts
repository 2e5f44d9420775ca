import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files known to take a minute or more start first, in this order, so the two workers finish
 * together instead of one of them running a long file at the end alone. Vitest orders by the last
 * run's durations when it has them (node_modules/.vite), but a fresh clone (CI) has none, and then
 * orders by file size: the fuzzing, 342 s at full scale in CI, started a quarter of the way in.
 */
const SLOW_FIRST = [
  'integration/abuse/fuzz.test.ts',
  'integration/web/accessibility.test.ts',
  'integration/automation/anniversary.test.ts',
  'integration/replies/own-corpus.test.ts',
  'integration/outbox/faults.test.ts',
  'integration/outbox/concurrency.test.ts',
  'integration/web/pages.test.ts',
  'integration/members/roster-import.test.ts',
];

const rank = (spec: TestSpecification) => {
  const i = SLOW_FIRST.findIndex((path) => spec.moduleId.replaceAll('\\', '/').endsWith(`test/${path}`));
  return i === -1 ? SLOW_FIRST.length : i;
};

export default class SlowFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // A stable sort: everything not listed keeps Vitest's own order.
    return sorted.map((spec, i) => ({ spec, i })).sort((a, b) => rank(a.spec) - rank(b.spec) || a.i - b.i).map(({ spec }) => spec);
  }
}
