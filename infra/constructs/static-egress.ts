import {
  CfnEIP,
  FlowLogDestination,
  FlowLogTrafficType,
  GatewayVpcEndpointAwsService,
  NatProvider,
  Peer,
  Port,
  SecurityGroup,
  SubnetType,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { stackOutput } from './stack-output.ts';

export interface StaticEgressProps {
  /**
   * How many Elastic IPs to allocate; each backs one NAT gateway in its own Availability Zone, so this is
   * also the number of NAT gateways. One is cheapest; two survive the loss of an AZ.
   * @default 1
   */
  readonly elasticIps?: number;
  /** Retention of the VPC flow logs. @default RetentionDays.THREE_MONTHS */
  readonly flowLogRetention?: RetentionDays;
}

/**
 * A VPC whose private subnets reach the internet only through NAT gateways on Elastic IPs allocated here,
 * so every call a worker makes to Atlas comes from a small, fixed set of addresses. Those addresses are
 * what goes on the Atlas service account's (or API key's) API access list; they are stack outputs.
 */
export class StaticEgress extends Construct {
  /** The VPC spans two AZs (what an environment-agnostic stack can address), so at most two NAT gateways. */
  static readonly MAX_ELASTIC_IPS = 2;

  readonly vpc: Vpc;
  readonly elasticIps: readonly CfnEIP[];
  /** The public addresses (tokens) of `elasticIps`, in order. */
  readonly publicIps: readonly string[];

  constructor(scope: Construct, id: string, props: StaticEgressProps = {}) {
    super(scope, id);
    const count = props.elasticIps ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > StaticEgress.MAX_ELASTIC_IPS) {
      throw new Error(
        `StaticEgress: elasticIps must be an integer from 1 to ${StaticEgress.MAX_ELASTIC_IPS} ` +
          `(one NAT gateway per Availability Zone), got ${count}`,
      );
    }

    // Allocated here rather than by the NAT provider so their addresses can be exported and so they are
    // explicit resources an operator recognises (and a replacement of the VPC does not silently change them).
    this.elasticIps = Array.from(
      { length: count },
      (_, index) =>
        new CfnEIP(this, `ElasticIp${index + 1}`, {
          domain: 'vpc',
          tags: [{ key: 'Name', value: `${this.node.path}/ElasticIp${index + 1}` }],
        }),
    );
    this.publicIps = this.elasticIps.map((eip) => eip.attrPublicIp);

    const flowLogGroup = new LogGroup(this, 'FlowLogs', {
      retention: props.flowLogRetention ?? RetentionDays.THREE_MONTHS,
    });

    this.vpc = new Vpc(this, 'Vpc', {
      maxAzs: StaticEgress.MAX_ELASTIC_IPS,
      natGateways: count,
      natGatewayProvider: NatProvider.gateway({
        eipAllocationIds: this.elasticIps.map((eip) => eip.attrAllocationId),
      }),
      subnetConfiguration: [
        { name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
      ],
      // S3 through a (free) gateway endpoint keeps snapshot uploads off the NAT gateways' per-GB charge;
      // S3 does not need the fixed addresses, only Atlas does.
      gatewayEndpoints: { S3: { service: GatewayVpcEndpointAwsService.S3 } },
      flowLogs: {
        All: {
          destination: FlowLogDestination.toCloudWatchLogs(flowLogGroup),
          trafficType: FlowLogTrafficType.ALL,
        },
      },
    });

    this.elasticIps.forEach((eip, index) => {
      stackOutput(this, `ElasticIp${index + 1}Address`, {
        value: eip.attrPublicIp,
        description: 'Static egress address: add it to the Atlas service account API access list',
      });
    });
  }

  /** A security group for functions in the private subnets: nothing inbound, outbound HTTPS (443) only. */
  httpsEgressSecurityGroup(scope: Construct, id: string): SecurityGroup {
    const group = new SecurityGroup(scope, id, {
      vpc: this.vpc,
      allowAllOutbound: false,
      description: 'atlas-ops worker: no inbound; outbound HTTPS to Atlas and AWS APIs only',
    });
    group.addEgressRule(Peer.anyIpv4(), Port.tcp(443), 'HTTPS to the Atlas Admin API and AWS APIs');
    return group;
  }
}
