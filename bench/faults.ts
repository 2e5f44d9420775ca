/**
 * `npm run bench -- faults [--count N]`: N referrals (default 500) live their whole life (60 days)
 * while a proxy fails 20 % of DynamoDB and SES calls (400 ThrottlingException, 500, timeouts whose
 * call took effect). Checks and prints: every acknowledged referral stored, every email sent once,
 * every due step run (test/support/fault-run.ts).
 */
import { formatFaultReport, runFaultScenario } from '../test/support/fault-run.js';
import { startBenchServices, startBenchStack } from './local-services.js';

export async function runFaultsBench(opts: { referrals: number }): Promise<{ meetsTarget: boolean }> {
  const services = await startBenchServices();
  try {
    console.log(`${opts.referrals} referrals, 60 days, 20 % of DynamoDB and SES calls failing…`);
    const started = performance.now();
    const report = await runFaultScenario(services, async (endpoints) => {
      const s = await startBenchStack(endpoints, 'bench-faults');
      return { ...s, env: { TABLE_NAME: 'bench-faults', DATA_DIR: s.dataDir, REPLY_TOKEN_SECRET: 'bench-secret-0123456789abcdef' } };
    }, { referrals: opts.referrals });
    console.log(formatFaultReport(report));
    console.log(`took ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const meetsTarget = report.lost.length === 0 && report.mismatched.length === 0 && report.extraSends <= report.ambiguousSends && report.duplicateEvents === 0 && report.dueLeftPending === 0 && report.acknowledged > 0;
    console.log(meetsTarget ? 'all held' : 'NOT all held');
    return { meetsTarget };
  } finally {
    await services.stop();
  }
}
