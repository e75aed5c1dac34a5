/**
 * Every bundle has its modules' bodies in parentheses, for V8 to compile each once
 * (infra/constructs/eager-module-compile.ts, applied by lambda-bundle.ts). The parentheses must change nothing
 * a user sees: the bundle behaves the same, and its source map still names the right line and column of every
 * frame, although each parenthesis moves what follows it on its (long, minified) line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileModuleBodiesEagerly } from '../../../infra/constructs/eager-module-compile.ts';
import { bundleLambda, LAMBDA_BUNDLE_SETTINGS } from '../../../infra/constructs/lambda-bundle.ts';

/**
 * Three CommonJS modules (esbuild wraps each in `__commonJS`), one of which throws, and an ES module after them
 * that throws: its frame is behind six inserted parentheses, more than the width of `new ` in
 * `throw new Error`, so a map not moved with them would name another column.
 */
const COMMONJS_MODULES = {
  'prefix.cjs': `exports.prefix = 'value: ';\n`,
  'suffix.cjs': `exports.suffix = '.';\n`,
  'legacy.cjs': `'use strict';
const { prefix } = require('./prefix.cjs');
const { suffix } = require('./suffix.cjs');
exports.describe = (value) => prefix + value + suffix;
exports.failInCommonJs = function failInCommonJs() {
  throw new Error('thrown in CommonJS');
};
`,
};
const ENTRY = `import legacy from './legacy.cjs';
export const describe = (value) => legacy.describe(value);
export function failInCommonJs() {
  legacy.failInCommonJs();
}
export function failInEsm() {
  throw new Error('thrown after the CommonJS modules');
}
`;

interface Bundled {
  describe(value: string): string;
  failInCommonJs(): void;
  failInEsm(): void;
}

/**
 * The original `file:line:column` (1-based) of the top frame of what the bundle's export `thrower` throws,
 * through the bundle's source map. In a process of its own: this one maps stacks by itself (vitest).
 */
function sourceOfTopFrame(bundleFile: string, thrower: keyof Bundled): string {
  const script = `const bundle = await import(${JSON.stringify(pathToFileURL(bundleFile).href)});
    try { bundle.${thrower}(); } catch (error) { process.stdout.write(error.stack); }`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
  });
  expect(child.stderr).toBe('');
  const frame = child.stdout.split('\n')[1] ?? '';
  const [, line, column] = /index\.mjs:(\d+):(\d+)\)?$/.exec(frame) ?? [];
  expect(frame).toContain(pathToFileURL(bundleFile).href);
  const map = new SourceMap(JSON.parse(readFileSync(`${bundleFile}.map`, 'utf8')));
  const entry = map.findEntry(Number(line) - 1, Number(column) - 1);
  if (!('originalSource' in entry)) throw new Error(`no mapping for ${frame}`);
  return `${entry.originalSource.split('/').at(-1)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
}

describe('a bundle with its modules compiled eagerly', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-ops-eager-'));
  let eager: { file: string; modules: number; entry: Bundled };
  let lazy: { file: string; entry: Bundled };

  beforeAll(async () => {
    for (const [name, text] of Object.entries(COMMONJS_MODULES)) writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, 'entry.mjs'), ENTRY);
    const built = await bundleLambda(join(dir, 'entry.mjs'), join(dir, 'eager'));
    const plain = await bundleLambda(join(dir, 'entry.mjs'), join(dir, 'lazy'), {
      ...LAMBDA_BUNDLE_SETTINGS,
      eagerModuleBodies: false,
    });
    eager = {
      file: built.file,
      modules: built.eagerModules,
      entry: (await import(pathToFileURL(built.file).href)) as Bundled,
    };
    lazy = { file: plain.file, entry: (await import(pathToFileURL(plain.file).href)) as Bundled };
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('puts each CommonJS module in parentheses and behaves as the bundle without them', () => {
    // Act
    const described = eager.entry.describe('x');

    // Assert
    expect(eager.modules).toBe(3);
    expect(described).toBe(lazy.entry.describe('x'));
    expect(described).toBe('value: x.');
  });

  it('maps a frame inside the CommonJS module to its line and column', () => {
    // Act
    const source = sourceOfTopFrame(eager.file, 'failInCommonJs');

    // Assert: the `new Error(…)` of line 6.
    expect(source).toBe('legacy.cjs:6:9');
    expect(sourceOfTopFrame(lazy.file, 'failInCommonJs')).toBe(source);
  });

  it('maps a frame after the parentheses, on the same minified line, to its line and column', () => {
    // Act
    const source = sourceOfTopFrame(eager.file, 'failInEsm');

    // Assert
    expect(source).toBe('entry.mjs:7:9');
    expect(sourceOfTopFrame(lazy.file, 'failInEsm')).toBe(source);
  });

  it('changes nothing in a bundle already done', () => {
    // Prepare
    const code = readFileSync(eager.file, 'utf8');
    const map = JSON.parse(readFileSync(`${eager.file}.map`, 'utf8'));

    // Act
    const again = compileModuleBodiesEagerly(code, map);

    // Assert
    expect(again.modules).toBe(0);
    expect(again.code).toBe(code);
    expect(again.map.mappings).toBe(map.mappings);
  });
});
