process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { tsImport } from 'tsx/esm/api';
import type { TestProject } from 'vitest/node';
import type * as Lanes from './lanes.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** One stack per worker (a file talks to its worker's: harness.ts), all on the one SES stand-in. */
    relayLanes: Lanes.RelayLane[];
  }
}

/**
 * The run's stacks, one per worker (lanes.ts). Their modules are loaded by tsx, natively, not by
 * Vite's module runner, which took about 5 s over them before anything could start; and the JVMs start
 * while the app's modules load. The setup went from about 10.6 s to 8.2 s here.
 */
export default async function setup(project: TestProject) {
  const { startLanes } = (await tsImport('./lanes.ts', import.meta.url)) as typeof Lanes;
  // Bring your own services: then the run starts no DynamoDB Local / SES stand-in of its own, and one stack.
  const run = await startLanes({
    workers: Number(project.config.maxWorkers) || 1,
    dynamoDbEndpoint: process.env.DYNAMODB_ENDPOINT,
    sesEndpoint: process.env.SES_ENDPOINT,
  });
  project.provide('relayLanes', run.lanes);
  return () => run.stop();
}
