import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type ISecret, Secret, type SecretProps } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

/** How to create a worker's secret when the operator names none. */
export interface NewSecret {
  readonly description: string;
  /** Its first value: one the worker accepts, so it starts before anyone fills the secret in. @default empty */
  readonly value?: Pick<SecretProps, 'generateSecretString' | 'secretObjectValue'>;
  /** Why it has no rotation Lambda (cdk-nag AwsSolutions-SMG4): the credentials are minted elsewhere. */
  readonly whyNotRotatedHere: string;
}

/**
 * The secret `nameOrArn` names — by its complete ARN when given one (a name alone is resolved by prefix,
 * ambiguously), by name otherwise — or, when none is named, a new one kept when the stack is deleted.
 */
export function existingOrNewSecret(
  scope: Construct,
  nameOrArn: string | undefined,
  create: NewSecret,
): ISecret {
  if (nameOrArn?.startsWith('arn:')) return Secret.fromSecretCompleteArn(scope, 'Secret', nameOrArn);
  if (nameOrArn) return Secret.fromSecretNameV2(scope, 'Secret', nameOrArn);
  const created = new Secret(scope, 'Secret', {
    description: create.description,
    ...create.value,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(created).acknowledge({
    id: 'AwsSolutions::AwsSolutions-SMG4',
    reason: create.whyNotRotatedHere,
  });
  return created;
}
