import { defineConfig } from 'vitest/config';
import SlowFilesFirst from './test/support/slow-files-first.js';

export default defineConfig({
  test: {
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // Vitest's default is a worker per core less one: one on a 2-core machine. Files run two at a time,
    // integration files too: each test file's mail goes to addresses of its own (harness.ts ownAddress),
    // and a file that moves a clock has a stack of its own (useOwnStack).
    maxWorkers: Number(process.env.TEST_WORKERS) || 2,
    sequence: { sequencer: SlowFilesFirst },
    projects: [
      {
        extends: true,
        // Property tests run hundreds of cases; on a busy machine 5 s is not enough for CPU-bound work.
        // Pure files share a worker's module cache (isolate: false): 59 s of CPU instead of 102 s.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'], environment: 'node', testTimeout: 30_000, isolate: false },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/integration/global-setup.ts'],
          // Files share a worker's module cache, as the unit files do (import was ~115 s of the run):
          // per-file.ts resets the harness's state at each file, and a file that changes process-wide
          // state (process.env, an SDK client mock) restores it in its afterAll.
          setupFiles: ['test/integration/per-file.ts'],
          isolate: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
