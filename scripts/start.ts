/**
 * `npm start`: the whole system locally on real stand-ins. Ctrl-C stops every child process; data
 * stays in DATA_DIR for the next start.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, loadDotEnv, readLocalConfig } from '../src/config/env.js';
import { startLocalSystem } from '../src/runtime/local/local-system.js';
import { StartupError } from '../src/runtime/local/services.js';
import { localLogger } from '../src/referrals/deps.js';

/**
 * The processes above this one, nearest first, up to `depth` (through /proc on Linux; elsewhere only
 * the parent): when `npm start` runs us, they are `sh`, `npm` and whatever started npm.
 */
function ancestors(depth = 3): number[] {
  const found = [process.ppid];
  try {
    while (found.length < depth) {
      const stat = readFileSync(`/proc/${found.at(-1)!}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!(parent > 1)) break;
      found.push(parent);
    }
  } catch {
    /* no /proc: the parent alone */
  }
  return found;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function main() {
  // Node 20 is supported here; the SDK's notice about its future Node 22 requirement is noise at start-up.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  loadDotEnv();
  const config = readLocalConfig();
  const system = await startLocalSystem(config, localLogger(config));
  const line = (name: string, value: string) => console.log(`  ${name.padEnd(28)} ${value}`);
  console.log('\nReferral Relay is running locally:\n');
  line('web + JSON API', system.urls.web);
  line('inbound SMTP', `${system.urls.smtp}  (mail to <group>@${config.INBOUND_DOMAIN})`);
  line('local SES viewer', `${system.urls.ses}  (sent mail at ${system.urls.ses}/store)`);
  line('DynamoDB Local', system.urls.dynamodb);
  line('data directory', config.DATA_DIR);
  line('local clock', `${system.urls.web}/dev/clock  (now ${system.deps.clock.now().toISOString()})`);
  if (system.demoSignInLink) {
    console.log(`\nDemo group "demo": log address demo@${config.INBOUND_DOMAIN}`);
    console.log(`Sign in as the demo admin (Alice Morgan, valid 15 minutes):\n  ${system.demoSignInLink}\n`);
  }
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await system.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGHUP', () => void shutdown());
  // npm passes a SIGTERM or SIGINT sent to its own pid (a supervisor's stop) on to nobody: it just
  // exits and leaves its script running. Seeing the npm process (or any launcher above us) gone, stop
  // everything too, so no DynamoDB Local or SES stand-in is left behind.
  const watched = ancestors();
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent || !watched.every(isAlive)) void shutdown();
  }, 250).unref();
}

main().catch((err: unknown) => {
  if (err instanceof StartupError || err instanceof ConfigError) {
    console.error(`\n${err.message}\n`);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
