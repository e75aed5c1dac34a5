/**
 * The error-code table of docs/simulator.md against the simulator's source: every errorCode
 * the source can answer with is in the table with the status it uses, and the table names no code the
 * source never emits, so the table cannot go stale.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../local/atlas-simulator/errors.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SIMULATOR = join(ROOT, 'local/atlas-simulator');

interface Row {
  code: string;
  /** Empty for "any" (a scripted status). */
  statuses: number[];
  source: string;
}

/** The rows of the table under "## Error codes" in docs/simulator.md. */
function documentedTable(): Row[] {
  const section = readFileSync(join(ROOT, 'docs/simulator.md'), 'utf8');
  const table = section.slice(section.indexOf('## Error codes'));
  const end = table.slice(1).search(/\n#{2,3} /);
  const rows: Row[] = [];
  for (const line of (end < 0 ? table : table.slice(0, end + 1)).split('\n')) {
    const cells = line
      .trim()
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    const code = /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[0] ?? '')?.[1];
    if (cells.length !== 3 || code === undefined) continue;
    const [, status = '', source = ''] = cells;
    rows.push({ code, statuses: [...status.matchAll(/\b\d{3}\b/g)].map((m) => Number(m[0])), source });
  }
  return rows;
}

/** Every .ts file of the simulator, seeds left out (they hold data, not answers). */
function sourceFiles(dir = SIMULATOR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'seeds' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

interface Emitted {
  code: string;
  /** Undefined where the status is not a literal (a scripted fault's). */
  status: number | undefined;
  where: string;
}

/**
 * The errorCode literals the source answers with: `new SimError(status, 'CODE'`, `notFound('CODE'` (404),
 * `badRequest('CODE'` (400), and the status-to-code tables of scripted faults (`429: ['CODE', …]`).
 */
function emittedCodes(): Emitted[] {
  const found: Emitted[] = [];
  for (const file of sourceFiles()) {
    const text = readFileSync(file, 'utf8');
    const where = relative(ROOT, file);
    const add = (pattern: RegExp, status: (m: RegExpMatchArray) => number | undefined) => {
      for (const m of text.matchAll(pattern)) found.push({ code: m.at(-1) ?? '', status: status(m), where });
    };
    add(/new SimError\(\s*(\d{3}),\s*'([A-Z][A-Z0-9_]*)'/g, (m) => Number(m[1]));
    add(/new SimError\(\s*[a-z]\w*,\s*'([A-Z][A-Z0-9_]*)'/g, () => undefined);
    add(/\bnotFound\(\s*'([A-Z][A-Z0-9_]*)'/g, () => 404);
    add(/\bbadRequest\(\s*'([A-Z][A-Z0-9_]*)'/g, () => 400);
    add(/\b(\d{3}):\s*\[\s*'([A-Z][A-Z0-9_]*)'/g, (m) => Number(m[1]));
    add(/\?\?\s*\[\s*'([A-Z][A-Z0-9_]*)'/g, () => undefined);
  }
  return found;
}

describe('the simulator error-code table', () => {
  const table = documentedTable();
  const byCode = new Map(table.map((row) => [row.code, row]));
  const emitted = emittedCodes();

  it('lists every code once, with a status and a source', () => {
    // Assess
    expect(table.length).toBeGreaterThan(40);
    expect(new Set(table.map((row) => row.code)).size).toBe(table.length);
    for (const row of table) {
      expect(row.source.trim(), row.code).not.toBe('');
      expect(row.statuses.length > 0 || row.code === 'SCRIPTED_ERROR', row.code).toBe(true);
    }
  });

  it('holds every code the source can answer with, at the status it uses', () => {
    // Assess
    expect(emitted.length).toBeGreaterThan(40);
    for (const { code, status, where } of emitted) {
      const row = byCode.get(code);
      expect(row, `${code} (${where}) is missing from the docs/simulator.md table`).toBeDefined();
      if (status !== undefined && row && row.statuses.length > 0)
        expect(row.statuses, `${code} is answered with ${status} in ${where}`).toContain(status);
    }
  });

  it('names no code the source never emits, and agrees with ERROR_CODES', () => {
    // Assess
    const emittedSet = new Set(emitted.map((e) => e.code));
    for (const row of table) expect(emittedSet.has(row.code), `${row.code} is never emitted`).toBe(true);
    expect(Object.fromEntries(table.map((row) => [row.code, row.statuses]))).toEqual(
      Object.fromEntries(Object.entries(ERROR_CODES).map(([code, statuses]) => [code, [...statuses]])),
    );
  });
});
