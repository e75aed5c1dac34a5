/**
 * The `semver` stand-in of function bundles answers `gte` as semver does, for the versions its one caller, the
 * X-Ray SDK, passes (the AWS SDK's), and for Node's own.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

type Gte = { gte: (a: string, b: string) => boolean };
const require = createRequire(import.meta.url);
const { gte } = require('../../../../shared/lambda/semver-gte.cjs') as Gte;
const semver = require('semver') as Gte;

const VERSIONS = [
  '0.0.0',
  '1.2.3',
  '1.10.0',
  '2.0.0',
  '2.1.9',
  '8.0.0',
  '10.0.0',
  '24.21.0',
  '2.1692.0',
  'v24.2.1',
];

describe('the semver stand-in', () => {
  it.each(VERSIONS.flatMap((a) => VERSIONS.map((b) => [a, b] as const)))('gte(%s, %s) as semver', (a, b) => {
    expect(gte(a, b)).toBe(semver.gte(a, b));
  });

  it('says this Node is at least 8.0.0', () => {
    expect(gte(process.versions.node, '8.0.0')).toBe(true);
  });

  it('refuses what is not a version, as semver does', () => {
    expect(() => gte('latest', '1.0.0')).toThrow('Invalid Version: latest');
    expect(() => semver.gte('latest', '1.0.0')).toThrow('Invalid Version: latest');
  });
});
