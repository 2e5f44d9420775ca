/**
 * `npx relay …`: the admin CLI on the same store as the server. The command line is checked first
 * with nothing but `usage.ts` loaded, so `--help`, `--version` and bad options answer at once and
 * never start DynamoDB Local nor touch DATA_DIR; only a good command loads the store (`cli-deps.ts`).
 */
import { DomainError } from '../domain/errors.js';
import { commandUsage, parseInvocation, USAGE, UsageError } from './usage.js';

async function main(argv: string[]): Promise<void> {
  const invocation = parseInvocation(argv);
  if (invocation.kind === 'print') {
    process.stdout.write(`${invocation.text}\n`);
    return;
  }
  // The config module loads zod: not needed to answer --help.
  const { loadDotEnv } = await import('../config/env.js');
  loadDotEnv();
  const [{ openCliDeps }, { runCommand }] = await Promise.all([import('./cli-deps.js'), import('./commands.js')]);
  const { deps, stop } = await openCliDeps();
  try {
    const out = await runCommand(deps, invocation);
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } finally {
    await stop();
  }
}

/** Bad input: a one-line message on stderr (then the usage, for a command-line mistake) and exit code 2. */
function isBadInput(err: unknown): err is Error {
  // ConfigError by name: importing its module here would load zod for every --help.
  return err instanceof UsageError || err instanceof DomainError || (err instanceof Error && err.name === 'ConfigError');
}

const argv = process.argv.slice(2);
main(argv).then(
  () => process.exit(0),
  (err: unknown) => {
    if (isBadInput(err)) {
      process.stderr.write(`relay: ${err.message.split('\n')[0]}\n`);
      if (err instanceof UsageError) process.stderr.write(`\n${err.command ? commandUsage(err.command) : USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(`relay: ${String((err as Error).stack ?? err)}\n`);
    process.exit(1);
  },
);
