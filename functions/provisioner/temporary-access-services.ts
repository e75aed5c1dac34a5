/**
 * The provisioner's temporary-access services on AWS: the credential vault on Secrets Manager and the
 * operation scheduler on EventBridge Scheduler (without a schedule group configured, no scheduler: the types
 * that need one say so). Loading them lazily was measured and did not pay: the bundle grew and the import
 * time did not fall (`npm run bench -- coldstart`).
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerCredentialVault } from '../../shared/operations/adapters/credential-vault.ts';
import { EventBridgeOperationScheduler } from '../../shared/operations/adapters/operation-scheduler.ts';
import type { OperationServices } from '../../shared/operations/run.ts';
import type { ProvisionerConfig } from './env.ts';

export function temporaryAccessServices(
  kit: {
    traced<T>(client: T): T;
    awsEndpoint(service: 'SECRETS_MANAGER' | 'SCHEDULER'): { endpoint?: string };
  },
  config: Pick<ProvisionerConfig, 'grantsSchedule'>,
): OperationServices {
  return {
    vault: new SecretsManagerCredentialVault(
      kit.traced(new SecretsManagerClient(kit.awsEndpoint('SECRETS_MANAGER'))),
    ),
    ...(config.grantsSchedule
      ? {
          scheduler: new EventBridgeOperationScheduler({
            client: kit.traced(new SchedulerClient(kit.awsEndpoint('SCHEDULER'))),
            ...config.grantsSchedule,
          }),
        }
      : {}),
  };
}
