import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { existingOrNewSecret } from './secret.ts';

export interface AtlasCredentialsProps {
  /**
   * Name or full ARN of an existing secret holding the Atlas credentials (design.md: service account
   * `{"clientId","clientSecret"}` or API key `{"publicKey","privateKey"}`). When absent, an empty secret
   * is created for the operator to fill in.
   */
  readonly secretNameOrArn?: string;
}

/** The one Secrets Manager secret every worker reads its Atlas credentials from. */
export class AtlasCredentials extends Construct {
  readonly secret: ISecret;

  constructor(scope: Construct, id: string, props: AtlasCredentialsProps = {}) {
    super(scope, id);
    this.secret = existingOrNewSecret(this, props.secretNameOrArn, {
      description:
        'MongoDB Atlas credentials for atlas-ops: {"clientId","clientSecret"} of a service account',
      whyNotRotatedHere:
        'Atlas service-account secrets are rotated in Atlas (or by Secrets Manager managed external rotation ' +
        'for MongoDBAtlasServiceAccount); a Lambda rotation function here would not know how to mint them.',
    });
  }
}
