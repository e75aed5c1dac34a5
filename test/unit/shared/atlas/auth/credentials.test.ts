import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../../../shared/atlas/auth/credentials.ts';
import type { AtlasValidationError } from '../../../../../shared/atlas/errors.ts';

const options = { baseUrl: 'https://atlas.test', dispatcher: new MockAgent() };

describe('credentials', () => {
  it('picks OAuth for a service account and Digest for an API key', () => {
    const sa = createAuthenticator(
      { clientId: 'mdb_sa_id_0123456789abcdef01234567', clientSecret: 'mdb_sa_sk_x' },
      options,
    );
    const key = createAuthenticator({ publicKey: 'abcdefgh', privateKey: 'x' }, options);
    expect(sa.kind).toBe('service-account');
    expect(key.kind).toBe('api-key');
  });

  it('names the missing or malformed field and never echoes the secret', () => {
    const attempt = (credentials: unknown) => {
      try {
        createAuthenticator(credentials as never, options);
      } catch (error) {
        return error as AtlasValidationError;
      }
      throw new Error('expected a validation error');
    };
    const missingSecret = attempt({ clientId: 'mdb_sa_id_0123456789abcdef01234567' });
    const badClientId = attempt({ clientId: 'client-1', clientSecret: 'top-secret-value' });
    const nothing = attempt({});
    expect(missingSecret.problems.map((p) => p.field)).toEqual(['clientSecret']);
    expect(badClientId.problems.map((p) => p.field)).toEqual(['clientId']);
    expect(badClientId.message).not.toContain('top-secret-value');
    expect(nothing.problems.map((p) => p.field)).toEqual(['clientId', 'clientSecret']);
  });
});
