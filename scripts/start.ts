/**
 * `npm start`: the whole system locally on real stand-ins. Ctrl-C stops every child process; data
 * stays in DATA_DIR for the next start.
 */
import { ConfigError, loadDotEnv, readLocalConfig } from '../src/config/env.js';
import { startLocalSystem } from '../src/runtime/local/local-system.js';
import { StartupError } from '../src/runtime/local/services.js';
import { localLogger } from '../src/referrals/deps.js';

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
}

main().catch((err: unknown) => {
  if (err instanceof StartupError || err instanceof ConfigError) {
    console.error(`\n${err.message}\n`);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
