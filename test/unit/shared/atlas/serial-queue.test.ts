import { setTimeout as wait } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { KeyedSerialQueue } from '../../../../shared/atlas/serial-queue.ts';

describe('KeyedSerialQueue', () => {
  it('runs tasks with the same key one at a time, in order, and other keys alongside', async () => {
    // Prepare
    const queue = new KeyedSerialQueue();
    const events: string[] = [];
    const task = (name: string, ms: number) => async () => {
      events.push(`start ${name}`);
      await wait(ms);
      events.push(`end ${name}`);
      return name;
    };

    // Act
    const results = await Promise.all([
      queue.run('p1', task('a1', 30)),
      queue.run('p1', task('a2', 1)),
      queue.run('p2', task('b1', 1)),
    ]);

    // Assess
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(events.indexOf('start a2')).toBeGreaterThan(events.indexOf('end a1'));
    expect(events.indexOf('end b1')).toBeLessThan(events.indexOf('end a1'));
  });

  it('keeps going after a task fails', async () => {
    // Prepare
    const queue = new KeyedSerialQueue();

    // Act
    const first = queue.run('p1', async () => {
      throw new Error('boom');
    });
    const second = queue.run('p1', async () => 'ok');

    // Assess
    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toBe('ok');
  });
});
