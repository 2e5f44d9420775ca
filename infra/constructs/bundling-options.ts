/**
 * The esbuild settings every Lambda bundle is built with, in one place so the CDK construct
 * (`RelayFunction`) and the bundle benchmark (`bench/bundle.ts`) cannot drift apart.
 *
 * The AWS SDK v3 is bundled, not left external: the Node 24 runtime ships an SDK, but its version
 * moves under us and is not the one the tests ran against. Bundling pins the version, makes the
 * bundle size reproducible, and minified single-file SDK code loads faster than the runtime's many
 * files.
 */
import { fileURLToPath } from 'node:url';

export const LAMBDA_BUNDLE = {
  platform: 'node',
  /** Matches the Lambda runtime (`Runtime.NODEJS_24_X`). */
  target: 'node24',
  format: 'esm',
  minify: true,
  /** Linked `.map` files; read by `--enable-source-maps` only when an error stack is printed. */
  sourceMap: true,
  /** The map points back at the sources without embedding them: a much smaller asset. */
  sourcesContent: false,
  /** Prefer ESM builds of dependencies (tree-shake better). */
  mainFields: ['module', 'main'],
  /** Nothing is external: see the module comment. */
  externalModules: [] as string[],
  /**
   * ESM output has no `require`; some dependencies (CJS inside the bundle) still call it for Node
   * built-ins, so one is made from `import.meta.url`.
   */
  banner: "import { createRequire as __relayCreateRequire } from 'node:module'; const require = __relayCreateRequire(import.meta.url);",
  /**
   * Modules replaced inside the bundles: the SDK's credential chain by the environment-only provider
   * a Lambda function needs (see `src/runtime/aws/lambda-credentials.ts`); the SDK's event-stream codec,
   * which no operation the functions call uses, by a stub that throws (`src/runtime/aws/no-event-streams.ts`).
   */
  alias: {
    '@aws-sdk/credential-provider-node': fileURLToPath(new URL('../../src/runtime/aws/lambda-credentials.ts', import.meta.url)),
    '@smithy/core/event-streams': fileURLToPath(new URL('../../src/runtime/aws/no-event-streams.ts', import.meta.url)),
  } as Record<string, string>,
  /** Node flag the functions run with, so stack traces point at the TypeScript sources. */
  nodeOptions: '--enable-source-maps',
} as const;
