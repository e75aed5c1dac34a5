/**
 * The AWS SDK's credential chain as it runs in Lambda: the execution role's credentials, which Lambda always
 * puts in the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), and nothing
 * else. Function bundles use it in place of `@aws-sdk/credential-provider-node` (build/lambda-bundle.ts
 * aliases it here), whose chain — SSO, INI profiles, processes, web identity, the STS and SSO clients they
 * need, container and instance metadata — never gets past its first link there and is 140 KB of every bundle.
 * Code run from source (the CLI, the local stack, tests) keeps the SDK's full chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

/** What each SDK client calls to get its credentials provider (`credentialDefaultProvider`). */
export const defaultProvider: typeof fromEnv = (init) => fromEnv(init);
