/**
 * The layering docs/architecture.md draws, checked on the source: no import loop between modules, `shared`
 * never imports the workers, the infrastructure, the CLI or the local stack, the domain folders of `shared`
 * declare the interfaces their adapters implement (each domain's adapters/ beside them) instead of importing
 * the adapters or the worker kit (shared/lambda), and the local stack and the CLI stay off the
 * infrastructure. The build (build/: the bundler and its stand-ins) is no part of what runs in Lambda: only
 * the infrastructure, the benchmarks and the tests import it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_FOLDERS = ['shared', 'functions', 'infra', 'cli', 'local', 'build', 'bench'];
/** The modules the graph reads: TypeScript, and JavaScript as ES modules or CommonJS. */
const SOURCE_FILE = /\.(ts|mjs|cjs)$/;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && SOURCE_FILE.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** The relative imports of `file` (static, dynamic, type-only and CommonJS `require`), as repository paths. */
function importsOf(file: string, text: string): string[] {
  const pattern =
    /(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'|(?:import|require)\(\s*['"](\.[^'"]+)['"]\s*\)/g;
  return [...text.matchAll(pattern)].map((m) =>
    relative(ROOT, resolve(ROOT, dirname(file), m[1] ?? m[2] ?? '')),
  );
}

/** Every source file's relative imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of SOURCE_FOLDERS.flatMap(sourceFiles)) {
    graph.set(file, importsOf(file, readFileSync(join(ROOT, file), 'utf8')));
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
        /^shared\/(access-list|atlas|config|inventory|notify|operations|policy|webhooks|queue-worker)\/(?!adapters\/)/,
        /^shared\/(aws|lambda)\/|^shared\/[^/]+\/adapters\//,
      ),
    ).toEqual([]);
  });

  it('puts each adapter beside the interfaces it implements: an adapter uses its own domain and the shared AWS parts', () => {
    const strays = [...graph].flatMap(([file, targets]) => {
      const domain = /^shared\/([^/]+)\/adapters\//.exec(file)?.[1];
      if (!domain) return [];
      const allowed = new RegExp(`^shared/(${domain}|aws|config|atlas|queue-worker)/`);
      return targets.filter((target) => !allowed.test(target)).map((target) => `${file} → ${target}`);
    });
    expect(strays).toEqual([]);
    // shared/aws holds only what several adapters share, no adapter of its own.
    expect(sourceFiles('shared/aws').sort()).toEqual(
      ['shared/aws/cached-secret.ts', 'shared/aws/errors.ts', 'shared/aws/leased-claims.ts'].sort(),
    );
  });

  it('keeps the operation policy a pure judge: it reads the operation types and config, and nothing reads it but the intake, its loader, the CLI and the stack', () => {
    expect(importsFromTo(graph, /^shared\/policy\//, /^shared\/(?!policy\/|config\/|operations\/)/)).toEqual(
      [],
    );
    expect(importsFromTo(graph, /^shared\/(?!policy\/|webhooks\/)/, /^shared\/policy\//)).toEqual([]);
  });

  it('keeps the queue worker kit free of every domain: the provisioner and the notifier both use it', () => {
    expect(
      importsFromTo(graph, /^shared\/queue-worker\/(?!adapters\/)/, /^shared\/(?!queue-worker\/|config\/)/),
    ).toEqual([]);
  });

  it('keeps the local stack from the CLI and the infrastructure, and the CLI from the infrastructure', () => {
    expect(importsFromTo(graph, /^local\//, /^(cli|infra|build|bench)\//)).toEqual([]);
    expect(importsFromTo(graph, /^cli\//, /^(infra|build|bench)\//)).toEqual([]);
  });

  it('keeps the CommonJS stand-ins in build/', () => {
    expect([...graph.keys()].filter((file) => file.endsWith('.cjs') && !file.startsWith('build/'))).toEqual(
      [],
    );
  });

  it('keeps the workers from importing the infrastructure, the CLI or the local stack', () => {
    expect(importsFromTo(graph, /^functions\//, /^(infra|cli|local)\//)).toEqual([]);
  });

  it('keeps build/ out of what runs in Lambda: only infra/, bench/ (and the tests) import it', () => {
    expect(importsFromTo(graph, /^(?!(infra|bench|build)\/)/, /^build\//)).toEqual([]);
  });

  it('reads every module, the CommonJS ones and their require() calls included', () => {
    // Prepare: the modules of every folder but the dependencies, output, the tests and the type declarations
    // (and hidden folders: tools, local state).
    const outside = new Set(['node_modules', 'cdk.out', 'coverage', 'atlas-inventory', 'test', 'types']);
    const modules = readdirSync(ROOT, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !outside.has(entry.name))
      .flatMap((entry) => sourceFiles(entry.name));

    // Act
    const required = importsOf('build/stand-ins/a.cjs', "const b = require('./b.cjs');\nrequire('node:fs');");

    // Assert: a folder of modules the graph does not read must join SOURCE_FOLDERS.
    expect(modules.filter((file) => file.endsWith('.cjs')).length).toBeGreaterThan(0);
    expect(modules.filter((file) => !graph.has(file))).toEqual([]);
    expect(required).toEqual(['build/stand-ins/b.cjs']);
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
