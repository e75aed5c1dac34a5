import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AtlasCredentials } from './constructs/atlas-credentials.ts';

export interface AtlasOpsStackProps extends StackProps {
  /** Name or ARN of an existing Atlas credentials secret; when absent, one is created to fill in. */
  readonly atlasSecretNameOrArn?: string;
}

/**
 * The atlas-ops stack: the Atlas credentials secret every worker reads, and one construct per worker
 * (inventory, provisioner, webhook intake, access-list sync) as each lands.
 */
export class AtlasOpsStack extends Stack {
  readonly credentials: AtlasCredentials;

  constructor(scope: Construct, id: string, props: AtlasOpsStackProps = {}) {
    super(scope, id, props);
    Tags.of(this).add('app', 'atlas-ops');
    this.credentials = new AtlasCredentials(this, 'AtlasCredentials', {
      ...(props.atlasSecretNameOrArn ? { secretNameOrArn: props.atlasSecretNameOrArn } : {}),
    });
    new CfnOutput(this, 'AtlasSecretArn', {
      value: this.credentials.secret.secretArn,
      description: 'Put the Atlas service-account credentials in this secret',
    });
  }
}
