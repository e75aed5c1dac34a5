/** The ends of temporary grants: the durations a ticket may write, the caps, and the names left behind. */
import { describe, expect, it } from 'vitest';
import { PermanentOperationError } from '../../../../shared/operations/errors.ts';
import {
  credentialSecretName,
  durationMs,
  endOf,
  MAX_DATABASE_USER_MS,
  userEndScheduleName,
  whenText,
} from '../../../../shared/operations/temporary-access.ts';

const NOW = new Date('2026-12-08T10:00:00.400Z');
const context = { now: () => NOW };
const week = { maxMs: MAX_DATABASE_USER_MS, why: 'Atlas’s cap', field: 'deleteAfterDate' };

describe('durationMs', () => {
  it.each([
    ['PT24H', 86_400_000],
    ['P1D', 86_400_000],
    ['P1DT12H', 129_600_000],
    ['PT90M', 5_400_000],
    ['P1W', 604_800_000],
  ])('reads %s', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it.each(['24h', 'P', 'PT', 'P1M', 'P1Y', 'PT10S', '1D', ''])('refuses %j', (text) => {
    expect(durationMs(text)).toBeUndefined();
  });
});

describe('endOf', () => {
  it('counts from now, to the whole second Atlas keeps', () => {
    expect(endOf({ expiresIn: 'PT24H' }, context, week).toISOString()).toBe('2026-12-09T10:00:00.000Z');
  });

  it('refuses more than the cap, naming the field and why', () => {
    const act = () => endOf({ expiresIn: 'P8D' }, context, week);
    expect(act).toThrow(PermanentOperationError);
    expect(act).toThrow(
      /EXPIRY_TOO_FAR: deleteAfterDate 2026-12-16T10:00:00.000Z is more than 7 days away: Atlas’s cap/,
    );
  });

  it('refuses a date in the past', () => {
    expect(() => endOf({ at: '2026-12-01T00:00:00Z' }, context, week)).toThrow(/EXPIRY_NOT_IN_FUTURE/);
  });
});

describe('what a grant leaves behind', () => {
  const user = { groupId: '8f7be0277c2a1f1a7767b3ee', databaseName: 'admin', username: 'ops reader!' };

  it('names the secret after the user, within Secrets Manager’s characters, without meeting another user', () => {
    const name = credentialSecretName(user);
    expect(name).toMatch(/^atlas-ops\/database-users\/8f7be0277c2a1f1a7767b3ee\/[\w+=.@-]+$/);
    expect(name).not.toBe(credentialSecretName({ ...user, username: 'ops reader?' }));
  });

  it('names the end schedule after the user, within Scheduler’s 64 characters', () => {
    expect(userEndScheduleName(user)).toMatch(/^[\w.-]{1,64}$/);
    expect(userEndScheduleName(user)).toBe(userEndScheduleName({ ...user }));
  });

  it('says when in UTC and from now', () => {
    expect(whenText(new Date('2026-12-09T10:00:00Z'), NOW)).toBe('2026-12-09T10:00:00.000Z (in 24 hours)');
  });
});
