/** Scripted pagination faults: list answers broken the way a faulty server breaks them, over raw HTTP. */
import { describe, expect, it } from 'vitest';
import { DEMO_PROJECT_IDS } from '../../../local/atlas-simulator/seeds/demo.ts';
import { atlasCall, requestLog, scriptFaults, send, useDemoSimulator } from '../../support/simulator.ts';

interface Page {
  links: { href: string; rel: string }[];
  results?: { name?: string; cidrBlock?: string }[];
  totalCount?: number;
}

const { paymentsProd } = DEMO_PROJECT_IDS;
const CLUSTERS = `/api/atlas/v2/groups/${paymentsProd}/clusters`;

describe('pagination faults', () => {
  const demo = useDemoSimulator();

  const list = async (query: string) => {
    const res = await atlasCall(demo.sim, demo.token, 'GET', `/groups/${paymentsProd}/clusters${query}`);
    return { status: res.status, page: res.json as Page };
  };
  const rels = (page: Page) => page.links.map((l) => l.rel);
  const pageNumOf = (page: Page, rel: string) =>
    new URL(page.links.find((l) => l.rel === rel)?.href ?? 'http://x').searchParams.get('pageNum');

  it('no-results: answers 200 pages without a results array, for count calls', async () => {
    // Prepare
    await scriptFaults(demo.sim, [{ path: CLUSTERS, action: 'no-results', count: 2 }]);

    // Act
    const first = await list('?itemsPerPage=2');
    const second = await list('?itemsPerPage=2&pageNum=2');
    const third = await list('?itemsPerPage=2');

    // Assess
    for (const { status, page } of [first, second]) {
      expect(status).toBe(200);
      expect(page).not.toHaveProperty('results');
      expect(page.totalCount).toBe(4);
    }
    expect(third.page.results).toHaveLength(2);
  });

  it('ignore-page-num: answers page 1 whatever page is asked, links included', async () => {
    // Prepare
    const pageOne = await list('?itemsPerPage=2');
    await scriptFaults(demo.sim, [{ path: CLUSTERS, action: 'ignore-page-num', count: 2 }]);

    // Act
    const asked2 = await list('?itemsPerPage=2&pageNum=2');
    const asked3 = await list('?itemsPerPage=2&pageNum=3');
    const honest = await list('?itemsPerPage=2&pageNum=2');

    // Assess
    for (const { page } of [asked2, asked3]) {
      expect(page.results).toEqual(pageOne.page.results);
      expect(pageNumOf(page, 'self')).toBe('1');
      expect(pageNumOf(page, 'next')).toBe('2');
    }
    expect(honest.page.results).not.toEqual(pageOne.page.results);
  });

  it('no-next-link: answers full pages without a next link', async () => {
    // Prepare
    await scriptFaults(demo.sim, [{ path: CLUSTERS, action: 'no-next-link', count: 2 }]);

    // Act
    const first = await list('?itemsPerPage=1');
    const second = await list('?itemsPerPage=1&pageNum=2');
    const honest = await list('?itemsPerPage=1');

    // Assess
    expect(first.page.results).toHaveLength(1);
    expect(rels(first.page)).toEqual(['self']);
    expect(rels(second.page)).toEqual(['self', 'previous']);
    expect(rels(honest.page)).toEqual(['self', 'next']);
  });

  it('breaks GET lists only, unless the script names another method, and logs the fault', async () => {
    // Prepare
    const accessList = `/api/atlas/v2/groups/${paymentsProd}/accessList`;
    await scriptFaults(demo.sim, [{ path: accessList, action: 'no-results' }]);

    // Act
    const posted = await atlasCall(demo.sim, demo.token, 'POST', `/groups/${paymentsProd}/accessList`, {
      version: '2023-01-01',
      body: [{ cidrBlock: '10.44.0.0/16' }],
    });
    const listed = await atlasCall(demo.sim, demo.token, 'GET', `/groups/${paymentsProd}/accessList`);
    const log = await requestLog(demo.sim);

    // Assess
    expect((posted.json as Page).results?.map((e) => e.cidrBlock)).toContain('10.44.0.0/16');
    expect(listed.status).toBe(200);
    expect(listed.json).not.toHaveProperty('results');
    expect(log.filter((e) => e.fault === 'no-results').map((e) => e.method)).toEqual(['GET']);
  });

  it('refuses an unknown action', async () => {
    // Act
    const res = await send(demo.sim, 'POST', '/__sim/faults', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path: CLUSTERS, action: 'shuffle' }),
    });

    // Assess
    expect(res.status).toBe(400);
    expect(res.text).toContain('action');
  });
});
