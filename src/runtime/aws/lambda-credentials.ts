/**
 * Stands in for `@aws-sdk/credential-provider-node` inside the Lambda bundles (the `alias` in
 * `infra/constructs/bundling-options.ts`). A Lambda function's credentials are always its execution
 * role's keys, which the runtime puts in the environment; the SDK's full chain would first look there
 * too. The rest of that chain (ini files, SSO, web identity, `credential_process`, container and
 * instance metadata) can never apply in Lambda, yet costs every bundle about 90 KiB (the STS and SSO
 * clients it carries). Locally and in the CLI nothing is aliased: the full chain is used.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
