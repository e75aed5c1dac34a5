/**
 * The simulator answers from its own reading of the spec: no file of it may import the client (`shared/`),
 * or a wrong rule there could hide behind the same rule here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SIMULATOR = join(ROOT, 'local/atlas-simulator');
const SHARED = join(ROOT, 'shared') + sep;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.[cm]?[jt]s$/.test(entry.name) ? [path] : [];
  });
}

/** The module specifiers a file imports or re-exports, statically or dynamically. */
function specifiers(text: string): string[] {
  const patterns = [
    /\bimport\s+(?:type\s+)?[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bexport\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1] ?? ''));
}

describe('the Atlas simulator', () => {
  it('imports nothing from shared/ (the client)', () => {
    // Prepare
    const files = sourceFiles(SIMULATOR);

    // Act
    const offending = files.flatMap((file) =>
      specifiers(readFileSync(file, 'utf8'))
        .filter((spec) => spec.startsWith('.') && resolve(dirname(file), spec).startsWith(SHARED))
        .map((spec) => `${relative(ROOT, file)} imports ${spec}`),
    );

    // Assess
    expect(files.length).toBeGreaterThan(20);
    expect(offending).toEqual([]);
  });

  it('finds an import of shared/ when there is one (the check itself works)', () => {
    // Prepare
    const file = join(SIMULATOR, 'handlers/example.ts');
    const text =
      "import { objectId } from '../../../shared/atlas/validation.ts';\nexport { x } from './x.ts';";

    // Act
    const found = specifiers(text).filter((spec) => resolve(dirname(file), spec).startsWith(SHARED));

    // Assess
    expect(found).toEqual(['../../../shared/atlas/validation.ts']);
  });
});
