// Runs before `npm start` and `npm test` so a fresh clone needs nothing else: installs the
// dependencies only when node_modules is missing. When the lockfile changed since the last install
// (e.g. after a `git pull`), it says so and carries on with the installed tree rather than wiping it
// with `npm ci`: the developer decides when to reinstall.
// Node built-ins only: it runs before anything is installed.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const lock = 'package-lock.json';
// npm writes this file on every install; its age is the age of the installed tree.
const installed = 'node_modules/.package-lock.json';

if (!existsSync(installed)) {
  console.log('Installing dependencies (node_modules is missing)…');
  execSync(existsSync(lock) ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund', { stdio: 'inherit' });
} else if (existsSync(lock) && statSync(lock).mtimeMs > statSync(installed).mtimeMs) {
  console.warn(`note: ${lock} is newer than node_modules; continuing with the installed dependencies (run \`npm ci\` to update them).`);
}
