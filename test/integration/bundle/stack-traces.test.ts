/**
 * A function's bundle is one minified line; its errors' stacks name the sources instead
 * (shared/lambda/stack-traces.ts, installed by observability.ts), read from the source map beside the bundle
 * only when a stack is first formatted, never at a cold start.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda } from '../../../build/lambda-bundle.ts';
import { mapStackTracesToSources } from '../../../shared/lambda/stack-traces.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A worker's module graph in short: observability (as every worker loads it) and a config error thrown. */
const ENTRY = `
import './shared/lambda/observability.ts';
import { parseEnv } from './shared/config/env.ts';
import * as z from './shared/config/zod.ts';
export function readConfig() {
  return parseEnv(z.object({ QUEUE_URL: z.url('must be the queue URL') }), { QUEUE_URL: 'not a URL' });
}
`;

/**
 * Imports the bundle, runs `before` (a statement), then prints the stack of readConfig's error; `env` adds to
 * the process's environment.
 */
function stackOf(bundle: string, before = '', env: Record<string, string> = {}) {
  const script = `const { readConfig } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
    ${before}
    try { readConfig(); } catch (error) { process.stdout.write(error.stack); }`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '', POWERTOOLS_TRACE_ENABLED: 'false', ...env },
    encoding: 'utf8',
  });
  expect(child.stderr).toBe('');
  return child.stdout;
}

/** `file:line` of the first line of the repository file `file` that contains `text`. */
function lineOf(file: string, text: string): string {
  const lines = readFileSync(join(REPO_ROOT, file), 'utf8').split('\n');
  return `${file}:${lines.findIndex((line) => line.includes(text)) + 1}`;
}

describe('stack traces of a bundled function', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-ops-stacks-'));
  let bundle: string;

  beforeAll(async () => {
    bundle = (await bundleLambda({ contents: ENTRY }, join(dir, 'bundle'))).file;
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('name the source file, line and function of each of its frames', () => {
    // Act
    const stack = stackOf(bundle);

    // Assert
    const [header, thrower] = stack.split('\n');
    expect(header).toBe('ConfigError: Invalid configuration: QUEUE_URL: must be the queue URL');
    expect(thrower).toMatch(/^ {4}at parseEnv \(shared\/config\/env\.ts:\d+:\d+\)$/);
    expect(thrower).toContain(`(${lineOf('shared/config/env.ts', 'throw new ConfigError(')}:`);
    expect(stack).not.toContain('index.mjs');
  });

  it("are V8's own in a function of less than 256 MB, which reading the map could push over its memory", () => {
    // Act
    const small = stackOf(bundle, '', { AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128' });
    const large = stackOf(bundle, '', { AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256' });

    // Assert
    expect(small.split('\n')[1]).toContain(`(${pathToFileURL(bundle).href}:`);
    expect(large.split('\n')[1]).toContain('(shared/config/env.ts:');
  });

  it('read the source map only once a stack is formatted, not when the function starts', () => {
    // Prepare
    const copy = join(dir, 'copy');
    cpSync(join(bundle, '..'), copy, { recursive: true });
    const copied = join(copy, 'index.mjs');

    // Act: the map is gone after the import; a stack formatted now can only be V8's own.
    const stack = stackOf(copied, `(await import('node:fs')).rmSync(${JSON.stringify(`${copied}.map`)});`);

    // Assert
    const [header, thrower] = stack.split('\n');
    expect(header).toBe('ConfigError: Invalid configuration: QUEUE_URL: must be the queue URL');
    expect(thrower).toContain(`(${pathToFileURL(copied).href}:`);
  });
});

describe('stack traces of code run from source', () => {
  it('are left as they are formatted: there is no map beside the module', () => {
    // Prepare
    const formatter = Error.prepareStackTrace;

    // Act
    const mapping = mapStackTracesToSources(
      pathToFileURL(join(REPO_ROOT, 'shared/lambda/stack-traces.ts')).href,
    );

    // Assert
    expect(mapping).toBe(false);
    expect(Error.prepareStackTrace).toBe(formatter);
  });
});
