/**
 * `atlas-ops webhook sign --source SOURCE FILE|-`: signs a delivery body as that source's sender does (the
 * same signing the tests use) and prints a ready `curl` command with its headers and exact body — to the
 * running local stack's intake with its local-only secret, or, with `--secret-id`, with the source's current
 * secret from the deployed webhook secret, to `--url` (the stack's WebhookIntakeUrl output).
 * Exit codes: 0 printed; 1 the secret could not be read or holds nothing for the source; 2 bad usage.
 */
import { SecretWebhookSecrets } from '../../shared/webhooks/adapters/webhook-secrets.ts';
import { signDelivery } from '../../shared/webhooks/schemes.ts';
import { withSignedTimeNow } from '../../shared/webhooks/signed-time.ts';
import { isWebhookSource, WEBHOOK_SOURCES, type WebhookSource } from '../../shared/webhooks/sources.ts';
import { type Command, parseCommandArgs, UsageError } from '../command.ts';
import { readInput } from '../input.ts';
import { readLocalStackFile } from '../local-stack-file.ts';

const USAGE = `Usage: atlas-ops webhook sign --source ${WEBHOOK_SOURCES.join('|')} FILE|-
         [--delivery-id ID] [--github-event NAME] [--keep-time] [--secret-id NAME_OR_ARN --url API_URL]

Signs FILE (a JSON delivery body; - reads standard input) as the source's sender does and prints a curl
command that posts it, with the body exactly as signed. A Jira body's timestamp and a GitHub body's
issue.updated_at are set to now, as the sender would send it now. Without --secret-id: to the local stack
running in this folder (npm start), with its local secret.

Options:
  --source SOURCE            the ticketing system that sends it: ${WEBHOOK_SOURCES.join(', ')}
  --delivery-id ID           the delivery's id (1 to 200 visible ASCII characters; default: a new one)
  --github-event NAME        with --source github: the X-GitHub-Event header (default issues)
  --keep-time                sign the file's bytes as they are, its timestamps left alone
  --secret-id NAME_OR_ARN    sign with the source's current secret from this Secrets Manager secret (your AWS
                             credentials) instead of the local stack's; needs --url
  --url API_URL              where to post: the deployed stack's WebhookIntakeUrl output
  -h, --help                 show this help`;

interface SignValues {
  source?: string;
  'secret-id'?: string;
  url?: string;
  'delivery-id'?: string;
  'github-event'?: string;
  'keep-time'?: boolean;
}

export const webhookCommand: Command = {
  async run(args) {
    const [subcommand, ...rest] = args;
    if (subcommand === '--help' || subcommand === '-h' || subcommand === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (subcommand !== 'sign') throw new UsageError(`unknown subcommand "${subcommand ?? ''}"\n${USAGE}`);
    const parsed = parseCommandArgs(
      rest,
      USAGE,
      {
        source: { type: 'string' },
        'secret-id': { type: 'string' },
        url: { type: 'string' },
        'delivery-id': { type: 'string' },
        'github-event': { type: 'string' },
        'keep-time': { type: 'boolean' },
      },
      { positionals: true },
    );
    if (!parsed) return 0;
    const { values, positionals } = parsed;
    const source = values.source;
    if (!isWebhookSource(source)) {
      throw new UsageError(`--source must be one of ${WEBHOOK_SOURCES.join(', ')}\n${USAGE}`);
    }
    if (values['secret-id'] && !values.url) {
      throw new UsageError(
        `--secret-id needs --url, the deployed API's URL (output WebhookIntakeUrl)\n${USAGE}`,
      );
    }
    const deliveryId = values['delivery-id'];
    if (deliveryId !== undefined && !/^[\x21-\x7e]{1,200}$/.test(deliveryId)) {
      throw new UsageError('--delivery-id must be 1 to 200 visible ASCII characters');
    }
    const given = await readInput(positionals[0], USAGE);
    try {
      JSON.parse(given);
    } catch {
      throw new UsageError(`${positionals[0]} is not JSON; the intake answers anything else 415`);
    }

    const target = await targetOf(source, values);
    if (!target) return 1;
    const now = new Date();
    // Jira and GitHub sign the time in the body; the intake refuses an approval signed too long ago, so a
    // file written weeks ago is sent as its sender would send it now.
    const body = values['keep-time'] ? given : withSignedTimeNow(source, given, now);
    if (body !== given) {
      process.stderr.write(
        `atlas-ops webhook: set the body's ${source === 'jira' ? 'timestamp' : 'issue.updated_at'} to now, as ${source} would send it (--keep-time leaves it)\n`,
      );
    }
    const headers = signDelivery(source, Buffer.from(body, 'utf8'), target.secret, {
      now,
      ...(deliveryId ? { deliveryId } : {}),
      ...(values['github-event'] ? { githubEvent: values['github-event'] } : {}),
    });
    const lines = [
      `curl -sS -X POST ${quote(`${target.url.replace(/\/+$/, '')}/webhooks/${source}`)}`,
      ...Object.entries(headers).map(([name, value]) => `-H ${quote(`${name}: ${value}`)}`),
      `--data-raw ${quote(body)}`,
    ];
    process.stdout.write(`${lines.join(' \\\n  ')}\n`);
    if (source === 'zendesk' || source === 'standard') {
      process.stderr.write(
        `atlas-ops webhook: signed at ${now.toISOString()}; the intake accepts the timestamp for 5 minutes\n`,
      );
    }
    return 0;
  },
};

/** Where to post and with which secret: the local stack's, or the deployed secret's current one. */
async function targetOf(
  source: WebhookSource,
  values: SignValues,
): Promise<{ url: string; secret: string } | undefined> {
  const secretId = values['secret-id'];
  if (!secretId) {
    const local = await readLocalStackFile('pass --secret-id and --url for a deployed intake');
    const secret = local.webhooks?.secrets[source];
    if (!local.webhooks || !secret) {
      throw new UsageError(
        'the local stack running here serves no webhook intake; restart it with npm start',
      );
    }
    return { url: values.url ?? local.webhooks.url, secret };
  }
  const secrets = await new SecretWebhookSecrets({ secretId, maxAgeSeconds: 0 })
    .get()
    .catch((error: unknown) => {
      process.stderr.write(`atlas-ops webhook: ${(error as Error).message}\n`);
      return undefined;
    });
  if (!secrets) return undefined;
  const secret = secrets[source]?.[0];
  if (!secret) {
    process.stderr.write(`atlas-ops webhook: secret "${secretId}" holds no secret for ${source}\n`);
    return undefined;
  }
  return { url: values.url ?? '', secret };
}

/** A POSIX shell single-quoted word: exactly these characters, whatever they are. */
function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
