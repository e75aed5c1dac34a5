/**
 * What the intake writes to its log for refused deliveries, through the real Powertools logger of the local
 * stack: the source, the reason and the delivery id — never a signature, a secret or the body.
 */
import { describe, expect, it, vi } from 'vitest';
import { WEBHOOK_SOURCES } from '../../../shared/webhooks/sources.ts';
import { post, signatureHeader, signedDelivery, tamper, useWebhookStack } from '../../support/webhooks.ts';

const started = useWebhookStack({ logLevel: 'INFO' });

const OPERATION = {
  type: 'projectAccessList.add',
  params: {
    groupId: '5f1b2c3d4e5f6a7b8c9d0e1f',
    entries: [{ cidrBlock: '198.51.100.77/32', comment: 'secret-ish comment' }],
  },
};

/** Everything written to stdout and stderr (Powertools writes WARN and ERROR to stderr) while `act` runs. */
async function output<T>(act: () => Promise<T>): Promise<{ result: T; written: string }> {
  const chunks: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(capture),
    vi.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  try {
    return { result: await act(), written: chunks.join('') };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

describe('the intake log', () => {
  it.each(WEBHOOK_SOURCES)(
    'names a refused %s delivery without its signature, the secrets or its body',
    async (source) => {
      // Prepare
      const { webhooks } = started();
      const good = signedDelivery(webhooks, source, OPERATION, { deliveryId: `log-test-${source}` });
      const header = signatureHeader(good);
      const signature = good.headers[header] ?? '';
      const forged = { ...good, headers: { ...good.headers, [header]: tamper(signature) } };

      // Act
      const { result, written } = await output(() => post(webhooks, forged));

      // Assess
      expect(result.status).toBe(401);
      const lines = written.split('\n').filter((line) => line.includes('Webhook delivery refused'));
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
        level: 'WARN',
        source,
        reason: 'SIGNATURE_MISMATCH',
        deliveryId: `log-test-${source}`,
      });
      for (const sent of [signature, tamper(signature)]) {
        expect(written).not.toContain(sent);
        expect(written).not.toContain(sent.replace(/^(sha256=|v1,|Bearer )/, '').slice(0, 16));
      }
      for (const secret of Object.values(webhooks.secrets)) expect(written).not.toContain(secret);
      expect(written).not.toContain('198.51.100.77');
      expect(written).not.toContain('secret-ish comment');
    },
  );
});
