/**
 * The layering design.md draws, checked on the source: no import loop between modules, `shared` never
 * imports the workers, the infrastructure, the CLI or the local stack, and the domain folders of `shared`
 * declare the interfaces their adapters implement instead of importing the adapters (shared/aws) or the
 * worker kit (shared/lambda).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_FOLDERS = ['shared', 'functions', 'infra', 'cli', 'local'];

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** Every relative import of every source file (static, dynamic and type-only), as repository paths. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pattern = /(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;
  for (const file of SOURCE_FOLDERS.flatMap(sourceFiles)) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const targets = [...text.matchAll(pattern)].map((m) =>
      relative(ROOT, resolve(ROOT, dirname(file), m[1] ?? m[2] ?? '')),
    );
    graph.set(file, targets);
  }
  return graph;
}

/** The import loops of the graph, each as the list of files around it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next) && graph.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

function importsFromTo(graph: Map<string, string[]>, from: RegExp, to: RegExp): string[] {
  return [...graph].flatMap(([file, targets]) =>
    from.test(file) ? targets.filter((target) => to.test(target)).map((target) => `${file} → ${target}`) : [],
  );
}

describe('module layering', () => {
  const graph = importGraph();

  it('has no import loop', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('keeps shared/ free of the workers, the infrastructure, the CLI and the local stack', () => {
    expect(importsFromTo(graph, /^shared\//, /^(functions|infra|cli|local)\//)).toEqual([]);
  });

  it('keeps the domain folders free of their adapters and of the worker kit', () => {
    expect(
      importsFromTo(
        graph,
        /^shared\/(access-list|atlas|config|inventory|notify|operations|webhooks)\//,
        /^shared\/(aws|lambda)\//,
      ),
    ).toEqual([]);
  });

  it('keeps the workers from importing the infrastructure, the CLI or the local stack', () => {
    expect(importsFromTo(graph, /^functions\//, /^(infra|cli|local)\//)).toEqual([]);
  });

  it('gives the workers zod through shared/config/zod.ts only (zod/mini, with English messages)', () => {
    const direct = [...graph.keys()].filter(
      (file) =>
        /^(shared|functions)\//.test(file) &&
        file !== 'shared/config/zod.ts' &&
        /from '(zod|zod\/mini)'/.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(direct).toEqual([]);
  });
});
