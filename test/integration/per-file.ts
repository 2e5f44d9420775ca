import { startFile } from './harness.js';

// Runs before each integration file: files share a worker's module cache (vitest.config.ts).
startFile();
