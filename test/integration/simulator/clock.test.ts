/**
 * The simulator's clock: `GET|POST /__sim/clock` and `sim.advanceClock(ms)` move the time everything reads
 * (tokens, expiries, timestamps) forward; `/__sim/reset` puts it back.
 */
import { describe, expect, it } from 'vitest';
import {
  DEMO_DATABASE_USERS,
  DEMO_PROJECT_IDS,
  DEMO_TEMPORARY_USER_EXPIRY,
} from '../../../local/atlas-simulator/seeds/demo.ts';
import { atlasCall, bearerToken, resetSimulator, send, useDemoSimulator } from '../../support/simulator.ts';

const HOUR = 3_600_000;

describe('the simulator clock', () => {
  const demo = useDemoSimulator();

  const clock = async () =>
    (await send(demo.sim, 'GET', '/__sim/clock')).json as { now: string; offsetMs: number };
  const advance = (body: unknown) =>
    send(demo.sim, 'POST', '/__sim/clock', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('answers the time and moves it forward on request, never back', async () => {
    // Prepare
    const before = await clock();

    // Act
    const moved = await advance({ advanceMs: 2 * HOUR });
    const backwards = await advance({ advanceMs: -1 });
    const fractional = await advance({ advanceMs: 1.5 });
    const notJson = await send(demo.sim, 'POST', '/__sim/clock', { body: 'soon' });
    const after = await clock();

    // Assess
    expect(before.offsetMs).toBe(0);
    expect(Math.abs(Date.parse(before.now) - Date.now())).toBeLessThan(5_000);
    expect(moved.status).toBe(200);
    expect(moved.json).toMatchObject({ offsetMs: 2 * HOUR });
    expect([backwards.status, fractional.status, notJson.status]).toEqual([400, 400, 400]);
    expect(after.offsetMs).toBe(2 * HOUR);
    expect(Date.parse(after.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(2 * HOUR);
  });

  it('is the handle’s too: advanceClock(ms) returns the new time, now() reads it', async () => {
    // Act
    const start = demo.sim.now();
    const returned = demo.sim.advanceClock(HOUR);
    const seen = await clock();

    // Assess
    expect(returned - start).toBeGreaterThanOrEqual(HOUR);
    expect(demo.sim.now()).toBeGreaterThanOrEqual(returned);
    expect(seen.offsetMs).toBe(HOUR);
    expect(() => demo.sim.advanceClock(-5)).toThrow(RangeError);
  });

  it('expires tokens and writes later timestamps', async () => {
    // Prepare
    const token = demo.token;

    // Act
    await advance({ advanceMs: HOUR + 1_000 });
    const refused = await atlasCall(demo.sim, token, 'GET', '/orgs', { version: '2023-01-01' });
    const log = (await send(demo.sim, 'GET', '/__sim/requests')).json as { requests: { at: string }[] };

    // Assess
    expect(refused.status).toBe(401);
    expect(refused.json).toMatchObject({ errorCode: 'UNAUTHORIZED' });
    expect(Date.parse(log.requests.at(-1)?.at ?? '') - Date.now()).toBeGreaterThan(HOUR);
  });

  it("takes the seed's temporary database users away once it passes their expiry", async () => {
    // Prepare
    const groupId = DEMO_PROJECT_IDS.analytics;
    const names = async (token: string) =>
      (
        (
          await atlasCall(demo.sim, token, 'GET', `/groups/${groupId}/databaseUsers`, {
            version: '2023-01-01',
          })
        ).json as { results: { username: string }[] }
      ).results.map((u) => u.username);
    const before = await names(demo.token);

    // Act
    await advance({ advanceMs: Date.parse(DEMO_TEMPORARY_USER_EXPIRY) - demo.sim.now() + 1_000 });
    const after = await names(await bearerToken(demo.sim));

    // Assess
    expect(before).toContain(DEMO_DATABASE_USERS.analytics.temporary);
    expect(after).not.toContain(DEMO_DATABASE_USERS.analytics.temporary);
    expect(after).toEqual([DEMO_DATABASE_USERS.analytics.admin, DEMO_DATABASE_USERS.analytics.reader]);
  });

  it('goes back to the wall clock on reset', async () => {
    // Prepare
    await advance({ advanceMs: 10 * HOUR });

    // Act
    await resetSimulator(demo.sim);
    const after = await clock();

    // Assess
    expect(after.offsetMs).toBe(0);
    expect(Math.abs(demo.sim.now() - Date.now())).toBeLessThan(5_000);
  });
});
