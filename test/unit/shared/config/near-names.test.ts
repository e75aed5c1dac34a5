/** "Did you mean …?": the known name a mistyped one most likely meant, and none when nothing is near. */
import { describe, expect, it } from 'vitest';
import { nearestName } from '../../../../shared/config/near-names.ts';
import { OPERATION_TYPES } from '../../../../shared/operations/registry.ts';

const COMMANDS = [
  'start',
  'inventory',
  'run',
  'enqueue',
  'status',
  'dlq',
  'sync',
  'webhook',
  'simulator',
  'help',
];

describe('nearestName', () => {
  it.each([
    ['a swap of two letters', 'stauts', COMMANDS, 'status'],
    ['a missing letter', 'enqeue', COMMANDS, 'enqueue'],
    ['other capitals', 'Inventory', COMMANDS, 'inventory'],
    ['the start of one name', 'sim', COMMANDS, 'simulator'],
    [
      'a letter short of an operation type',
      'projectAccessList.ad',
      [...OPERATION_TYPES.keys()],
      'projectAccessList.add',
    ],
    ['a wrong letter in an option', '--wacth', ['--watch', '--timeout', '--table'], '--watch'],
  ])('names the nearest for %s', (_, name, candidates, expected) => {
    // Act
    const near = nearestName(name, candidates);

    // Assess
    expect(near).toBe(expected);
  });

  it.each([
    ['a word near nothing', 'frobnicate', COMMANDS],
    ['a type of another system', 'bucket.delete', [...OPERATION_TYPES.keys()]],
    ['the start of two names', 'st', COMMANDS],
    ['a known name', 'status', COMMANDS],
    ['an empty name', '', COMMANDS],
    ['a value of any length', 'x'.repeat(100_000), COMMANDS],
  ])('names none for %s', (_, name, candidates) => {
    // Act
    const near = nearestName(name, candidates);

    // Assess
    expect(near).toBeUndefined();
  });
});
