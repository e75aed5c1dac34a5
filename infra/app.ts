/**
 * CDK app entry (`npm run synth`). One stack, composed of one construct per worker; cdk-nag's AwsSolutions
 * checks run on every synth, so a finding fails the build unless it is acknowledged with a reason.
 *
 * Context (`-c key=value`, or `"context"` in cdk.json); every key is optional and checked before synth, with
 * the rules the workers apply at cold start (shared/config/rules.ts) — a bad value stops it with a message
 * naming the key:
 * - `atlasSecret`          name or ARN of an existing Atlas credentials secret (default: create one to fill in)
 * - `inventorySchedule`    EventBridge Scheduler expression, UTC: `rate(6 hours)` (default), `cron(0 6 * * ? *)`
 * - `inventoryOrgIds`      comma-separated organization ids (24 lowercase hex digits, as Atlas writes them) to
 *                          limit the inventory to (default: all)
 * - `inventoryProjectIds`  comma-separated project ids (24 lowercase hex digits) to limit the inventory to
 *                          (default: all)
 * - `alarmEmail`           address every alarm notifies, through an encrypted SNS topic (default: no topic)
 * - `staticEgressIps`      0–2 Elastic IPs to call Atlas from, through a VPC with NAT gateways; put the output
 *                          addresses on the Atlas API access list (default 0: no VPC)
 * - `logRetentionDays`     a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, …) (default 90)
 * - `tracing`              `true` (default) or `false`: X-Ray tracing of every worker; off, the functions record
 *                          no traces and do not load the X-Ray SDK at a cold start
 * - `provisioningEnabled`  `true` (default) or `false`: deploy the queue-triggered provisioning worker (queue,
 *                          dead-letter queue, operations table, function)
 * - `provisioningMaxConcurrency`  2–1000 concurrent provisioning invocations, the SQS event source's maximum
 *                          concurrency and so the bound on parallel Atlas operations (default 5)
 * - `accessListSyncEnabled`  `true` (default) or `false`: deploy the access-list sync (its function reads the
 *                          desired state at `s3://<inventory bucket>/access-list/desired-state.json`)
 * - `accessListSyncSchedule`  EventBridge Scheduler expression of the sync, UTC: `rate(1 hour)` (default); it also
 *                          runs whenever the desired-state object changes
 * - `accessListSyncMode`   `plan` (default: report drift, change nothing) or `apply` (make the changes the
 *                          guards allow)
 * - `webhooksEnabled`      `true` (default) or `false`: deploy the webhook intake (an HTTP API and its function,
 *                          sending to the provisioning queue; only with the provisioning worker)
 * - `webhookSecret`        name or ARN of an existing webhook secret (default: create one holding a random
 *                          ServiceNow token, for the other sources' secrets to be added)
 * - `webhookSenders`       JSON: who may send and who may approve, per source (README, "Webhook intake"),
 *                          e.g. `{"jira": {"scope": ["OPS"], "approvers": ["lead@example.com"]}}` (default none:
 *                          the intake accepts nothing)
 * - `notifierEnabled`      `true` (default) or `false`: deploy the notifier (an outcomes queue, its DLQ and a
 *                          function telling each ticket how its operation ended; only with the provisioning worker)
 * - `notifierSecret`       name or ARN of an existing notifier credentials secret (default: create an empty one)
 * - `jiraBaseUrl`          the Jira Cloud site, `https://acme.atlassian.net` (default: Jira tickets are not told)
 * - `jiraTransitionOnSuccess`, `jiraTransitionOnFailure`  Jira transitions by name after the comment (default none)
 * - `githubApiUrl`         `https://api.github.com` (default) or `https://HOST/api/v3` for GitHub Enterprise Server
 * - `zendeskBaseUrl`       the Zendesk account, `https://acme.zendesk.com` (default: Zendesk tickets are not told)
 * - `callbackUrls`         JSON `{"servicenow": "https://…", "standard": "https://…"}`: where each other source's
 *                          signed Standard Webhooks callback goes (default none)
 */
import { App } from 'aws-cdk-lib';
import { AtlasOpsStack, atlasOpsPropsFromContext, InvalidContextError } from './atlas-ops-stack.ts';
import { addNagChecks } from './nag.ts';

const app = new App();
try {
  new AtlasOpsStack(app, 'AtlasOps', {
    ...atlasOpsPropsFromContext(app.node),
    description: 'atlas-ops: serverless workers for the MongoDB Atlas Administration API',
  });
} catch (error) {
  if (!(error instanceof InvalidContextError)) throw error;
  console.error(error.message);
  process.exit(1);
}
addNagChecks(app);
app.synth();
