import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from '../../../../shared/config/json-depth.ts';

describe('nestsDeeperThan', () => {
  it('counts objects and arrays inside one another, not brackets inside strings', () => {
    // Act + Assess
    expect(nestsDeeperThan('{"a":[{"b":1}]}', 3)).toBe(false);
    expect(nestsDeeperThan('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(nestsDeeperThan('{"a":"[[[[[[\\"[[[["}', 1)).toBe(false);
    expect(nestsDeeperThan(Buffer.from('[[]]'), 1)).toBe(true);
  });

  it('reads 100,000 levels without recursing (no stack to overflow)', () => {
    // Act + Assess
    expect(nestsDeeperThan(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toBe(true);
  });
});
