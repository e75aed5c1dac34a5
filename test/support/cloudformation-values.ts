/**
 * Stand-ins for what CloudFormation resolves at deploy time, so the values of a synthesized template can be
 * given to code that needs concrete ones (a worker's environment loader). Each `Ref`, `Fn::GetAtt`, … becomes a
 * representative value for the referenced resource's type — a queue's `Ref` a queue URL, a bucket's `Ref` a
 * bucket name, a secret's `Ref` its ARN — in the shape AWS gives it. A reference without a stand-in here
 * throws, so a new kind of value fails the test that meets it instead of passing as a placeholder.
 */

export const STAND_IN_ACCOUNT = '123456789012';
export const STAND_IN_REGION = 'us-east-1';
const PARTITION = 'aws';
const URL_SUFFIX = 'amazonaws.com';

/** The parts of a synthesized template (`Template.toJSON()`) the stand-ins look at. */
export interface TemplateJson {
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  Parameters?: Record<string, { Default?: unknown }>;
}

export interface StandInOptions {
  /** @default 'AtlasOps' */
  stackName?: string;
}

/**
 * `value` with every CloudFormation intrinsic function replaced by a stand-in value.
 * @example resolveIntrinsics(template, { Ref: 'ProvisioningQueue304165FB' })
 *   // 'https://sqs.us-east-1.amazonaws.com/123456789012/AtlasOps-ProvisioningQueue304165FB-1A2B3C4D5E6F'
 */
export function resolveIntrinsics(
  template: TemplateJson,
  value: unknown,
  options: StandInOptions = {},
): unknown {
  const stackName = options.stackName ?? 'AtlasOps';
  const resolve = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(resolve);
    if (item === null || typeof item !== 'object') return item;
    const entries = Object.entries(item);
    const [name, argument] = entries[0] ?? [];
    if (entries.length === 1 && name !== undefined && (name === 'Ref' || name.startsWith('Fn::'))) {
      return intrinsic(name, argument);
    }
    return Object.fromEntries(entries.map(([key, nested]) => [key, resolve(nested)]));
  };

  const intrinsic = (name: string, argument: unknown): unknown => {
    switch (name) {
      case 'Ref':
        return ref(template, String(argument), stackName);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(argument) ? argument : String(argument).split('.');
        return getAtt(template, String(logicalId), String(attribute), stackName);
      }
      case 'Fn::Join': {
        const [separator, parts] = argument as [string, unknown[]];
        return (resolve(parts) as unknown[]).map(String).join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = argument as [unknown, unknown];
        return (resolve(list) as unknown[])[Number(resolve(index))];
      }
      case 'Fn::Split': {
        const [separator, source] = argument as [string, unknown];
        return String(resolve(source)).split(separator);
      }
      case 'Fn::Sub': {
        const [format, variables] = Array.isArray(argument) ? argument : [argument, {}];
        const given = resolve(variables) as Record<string, unknown>;
        return String(format).replace(/\$\{([^}!]+)\}/g, (_, expression: string) => {
          if (expression in given) return String(given[expression]);
          const [logicalId = '', attribute] = expression.split('.');
          return String(
            attribute === undefined
              ? ref(template, logicalId, stackName)
              : getAtt(template, logicalId, attribute, stackName),
          );
        });
      }
      default:
        throw new Error(`No stand-in for ${name}`);
    }
  };

  return resolve(value);
}

function ref(template: TemplateJson, logicalId: string, stackName: string): unknown {
  switch (logicalId) {
    case 'AWS::AccountId':
      return STAND_IN_ACCOUNT;
    case 'AWS::Region':
      return STAND_IN_REGION;
    case 'AWS::Partition':
      return PARTITION;
    case 'AWS::URLSuffix':
      return URL_SUFFIX;
    case 'AWS::StackName':
      return stackName;
    case 'AWS::StackId':
      return `arn:${PARTITION}:cloudformation:${STAND_IN_REGION}:${STAND_IN_ACCOUNT}:stack/${stackName}/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d`;
  }
  const parameter = template.Parameters?.[logicalId];
  if (parameter) {
    if (parameter.Default === undefined) throw new Error(`Parameter ${logicalId} has no default to stand in`);
    return parameter.Default;
  }
  const { type, name } = resource(template, logicalId, stackName);
  switch (type) {
    case 'AWS::SQS::Queue':
      return `https://sqs.${STAND_IN_REGION}.${URL_SUFFIX}/${STAND_IN_ACCOUNT}/${name}`;
    case 'AWS::SecretsManager::Secret':
      return arn('secretsmanager', `secret:${name}-AbCdEf`);
    case 'AWS::SNS::Topic':
      return arn('sns', name);
    case 'AWS::KMS::Key':
      return '1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d';
    case 'AWS::DynamoDB::Table':
    case 'AWS::S3::Bucket':
    case 'AWS::Lambda::Function':
    case 'AWS::IAM::Role':
    case 'AWS::Logs::LogGroup':
    case 'AWS::Scheduler::Schedule':
    case 'AWS::Scheduler::ScheduleGroup':
      return name;
    default:
      throw new Error(`No stand-in for the Ref of ${logicalId} (${type})`);
  }
}

function getAtt(template: TemplateJson, logicalId: string, attribute: string, stackName: string): unknown {
  const { type, name } = resource(template, logicalId, stackName);
  const standIn: Record<string, Record<string, string>> = {
    'AWS::SQS::Queue': {
      Arn: arn('sqs', name),
      QueueName: name,
      QueueUrl: `https://sqs.${STAND_IN_REGION}.${URL_SUFFIX}/${STAND_IN_ACCOUNT}/${name}`,
    },
    'AWS::DynamoDB::Table': { Arn: arn('dynamodb', `table/${name}`) },
    'AWS::S3::Bucket': {
      Arn: `arn:${PARTITION}:s3:::${name}`,
      DomainName: `${name}.s3.${URL_SUFFIX}`,
      RegionalDomainName: `${name}.s3.${STAND_IN_REGION}.${URL_SUFFIX}`,
    },
    'AWS::SecretsManager::Secret': { Id: arn('secretsmanager', `secret:${name}-AbCdEf`) },
    'AWS::SNS::Topic': { TopicArn: arn('sns', name), TopicName: name },
    'AWS::Lambda::Function': { Arn: arn('lambda', `function:${name}`) },
    'AWS::IAM::Role': { Arn: `arn:${PARTITION}:iam::${STAND_IN_ACCOUNT}:role/${name}` },
    'AWS::Logs::LogGroup': { Arn: arn('logs', `log-group:${name}:*`) },
    'AWS::Scheduler::ScheduleGroup': { Arn: arn('scheduler', `schedule-group/${name}`) },
    'AWS::ApiGatewayV2::Api': {
      ApiEndpoint: `https://${hex(logicalId, 10)}.execute-api.${STAND_IN_REGION}.${URL_SUFFIX}`,
    },
    'AWS::EC2::EIP': {
      PublicIp: documentationAddress(logicalId),
      AllocationId: `eipalloc-${hex(logicalId, 17)}`,
    },
  };
  const value = standIn[type]?.[attribute];
  if (value === undefined) throw new Error(`No stand-in for ${logicalId}.${attribute} (${type})`);
  return value;
}

/** The resource's type and physical name: the one its properties set, or one shaped like CloudFormation's. */
function resource(template: TemplateJson, logicalId: string, stackName: string) {
  const found = template.Resources?.[logicalId];
  if (!found) throw new Error(`The template has no resource or parameter ${logicalId}`);
  const explicit = Object.entries(found.Properties ?? {}).find(
    ([key, value]) =>
      /^(Queue|Table|Bucket|Function|Role|LogGroup|Topic|Secret)?Name$/.test(key) &&
      typeof value === 'string',
  );
  // CloudFormation names an unnamed resource `<stack>-<logical id>-<random>`; S3 allows lower case only.
  const generated = `${stackName}-${logicalId}-1A2B3C4D5E6F`;
  const name = explicit
    ? String(explicit[1])
    : found.Type === 'AWS::S3::Bucket'
      ? generated.toLowerCase()
      : generated;
  return { type: found.Type, name };
}

function arn(service: string, resourcePart: string): string {
  return `arn:${PARTITION}:${service}:${STAND_IN_REGION}:${STAND_IN_ACCOUNT}:${resourcePart}`;
}

/** An address from TEST-NET-3 (RFC 5737), the same for the same logical id, different for another. */
function documentationAddress(logicalId: string): string {
  return `203.0.113.${(Number.parseInt(hex(logicalId, 4), 16) % 254) + 1}`;
}

/** `length` hex digits derived from `text` (not a hash to rely on; a stand-in's stable variety). */
function hex(text: string, length: number): string {
  let value = 0;
  for (const char of text) value = (value * 31 + char.charCodeAt(0)) >>> 0;
  return value.toString(16).padStart(8, '0').repeat(3).slice(0, length);
}
