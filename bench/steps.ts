/**
 * `npm run bench -- steps`: 10,000 due steps dispatched by the local scheduler (runDueSteps, the
 * runner behind the ticker and POST /dev/clock) on DynamoDB Local, each exactly once, in under 60 s.
 * Each step goes through the real dispatchStep (which reads its referral: these steps' referrals do
 * not exist, so what is measured is the scheduler's own cost per step, not the emails).
 */
import { dispatchStep } from '../src/referrals/engine.js';
import { runDueSteps } from '../src/schedule/local/run-due-steps.js';
import type { StoredStep } from '../src/store/referral-store.js';
import { startBenchServices, startBenchStack } from './local-services.js';

export async function runStepsBench(opts: { count: number; limitSeconds?: number }): Promise<{ meetsTarget: boolean; seconds: number; runs: Map<string, number> }> {
  const limit = opts.limitSeconds ?? 60;
  const services = await startBenchServices();
  const stack = await startBenchStack(services, 'bench-steps');
  try {
    const { deps } = stack.system;
    const due = new Date(deps.clock.now().getTime() + 86_400_000);
    const steps: StoredStep[] = Array.from({ length: opts.count }, (_, i) => ({ stepId: `bench.${i}`, referralId: `nobody${i}`, kind: 'thank_you_prompt', due: new Date(due.getTime() + (i % 600) * 1000).toISOString() }));
    console.log(`planting ${opts.count} steps due within 10 minutes of ${due.toISOString()}…`);
    for (let i = 0; i < steps.length; i += 64) await Promise.all(steps.slice(i, i + 64).map((s) => deps.store.putStep(s)));

    const runs = new Map<string, number>();
    const started = performance.now();
    await runDueSteps(
      {
        store: deps.store,
        clock: deps.clock,
        dispatch: async (s) => {
          runs.set(s.stepId, (runs.get(s.stepId) ?? 0) + 1);
          await dispatchStep(deps, { stepId: s.stepId, referralId: s.referralId, kind: 'thank_you_prompt' });
        },
      },
      // the background ticker only runs what is due now; this window is ours alone
      new Date(due.getTime() + 601_000),
    );
    const seconds = (performance.now() - started) / 1000;
    const missing = steps.filter((s) => !runs.has(s.stepId)).length;
    const twice = [...runs.values()].filter((n) => n > 1).length;
    const meetsTarget = missing === 0 && twice === 0 && seconds < limit;
    console.log(`\n| steps | ran once | missing | more than once | seconds | steps/s | under ${limit} s |\n| --- | --- | --- | --- | --- | --- | --- |`);
    console.log(`| ${opts.count} | ${[...runs.values()].filter((n) => n === 1).length} | ${missing} | ${twice} | ${seconds.toFixed(1)} | ${(opts.count / seconds).toFixed(0)} | ${meetsTarget ? 'yes' : 'NO'} |`);
    return { meetsTarget, seconds, runs };
  } finally {
    await stack.system.stop();
    await services.stop();
  }
}
