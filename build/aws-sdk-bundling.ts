/**
 * What every function bundle does to the AWS SDK's own modules (an esbuild plugin, used by lambda-bundle.ts),
 * each a part of the SDK the workers cannot reach or a layout of it that esbuild cannot tree-shake:
 *
 * - **Schemas with literal trait keys.** Each client's `schemas/schemas_0.js` describes every operation of
 *   the service. A bundle needs only the schemas of the commands it sends, and esbuild would drop the others,
 *   but their traits are written `{ [_hE]: 400 }`, the key a constant of the module (`const _hE =
 *   "httpError"`), and esbuild keeps any object with a computed key, since working the key out could run
 *   code: so it kept every schema of the service (S3's 481, 67 KB). aws/aws-sdk-js-v3#7607 reports this (a
 *   regression of 3.930.0), and smithy-lang/smithy-typescript#1889 fixes the generator by writing the keys as
 *   literals; this writes them so as the module is loaded: the same objects, the same keys in the same order.
 * - **A client's package.json: its version alone.** Each client imports its package.json for the version in
 *   its user agent (`runtimeConfig.js`: `packageInfo.version`), and esbuild bundles the whole file (2–2.5 KB a
 *   client, its scripts and dependencies). test/integration/bundle/aws-sdk-bundling.test.ts checks that the
 *   installed SDK reads no other field.
 * - **No event streams.** The SDK's protocols `import()` `@smithy/core/event-streams` (14 KB) the first time
 *   an operation with an event stream is serialized or parsed (`HttpProtocol.loadEventStreamCapability`): S3's
 *   SelectObjectContent, say, none the workers call. That import gets stand-ins/event-streams-left-out.cjs,
 *   which fails with a message naming this. A client that imports event streams outright (S3, for its
 *   configuration) keeps what it imports.
 *
 * What checks it: test/integration/bundle/aws-sdk-bundling.test.ts, a tripwire — it fails when an SDK upgrade
 * reads another field of a package.json, when the schemas of commands no bundle sends come back, or when an
 * operation that streams events no longer fails with the stand-in's message — and it runs every bundled
 * function against the local stack.
 *
 * Remove it (the schema part) when the generator's fix ships in the clients the project pins:
 * smithy-lang/smithy-typescript#1889, which writes the trait keys as literals and so closes
 * aws/aws-sdk-js-v3#7607. The tripwire says when: its standard build (no plugin) then carries only the
 * schemas of the commands it sends, and the test that expects it to carry all of them fails.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Expression, type Identifier, type Node, type Property, parse } from 'acorn';
import type { Plugin } from 'esbuild';

const EVENT_STREAMS_LEFT_OUT = fileURLToPath(
  new URL('./stand-ins/event-streams-left-out.cjs', import.meta.url),
);

/** `@aws-sdk/client-s3/dist-es/schemas/schemas_0.js`, and the same in any @aws-sdk package's submodule. */
const SCHEMA_MODULE =
  /[\\/]node_modules[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/](?:.+[\\/])?schemas[\\/]schemas_\d+\.js$/;
/** An @aws-sdk package's own package.json, as one of its modules imports it. */
const SDK_PACKAGE_JSON = /[\\/]node_modules[\\/]@aws-sdk[\\/][^\\/]+[\\/]package\.json$/;

export const awsSdkBundling: Plugin = {
  name: 'aws-sdk-bundling',
  setup(builder) {
    builder.onLoad({ filter: SCHEMA_MODULE }, async (args) => ({
      contents: withLiteralPropertyKeys(await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
    builder.onLoad({ filter: SDK_PACKAGE_JSON }, async (args) => {
      const { version } = JSON.parse(await readFile(args.path, 'utf8')) as { version: string };
      return { contents: JSON.stringify({ version }), loader: 'json' };
    });
    builder.onResolve({ filter: /^@smithy\/core\/event-streams$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: EVENT_STREAMS_LEFT_OUT } : undefined,
    );
  },
};

/**
 * `code` (an ES module) with each computed property key that names one of its top-level string constants
 * (`{ [_e]: _c }`, where `const _e = "error"`) written as that string (`{ "error": _c }`): the same object,
 * built without running anything. A constant whose name is bound anywhere else in the module (a parameter,
 * a variable of a function) is left as it is, and so are methods and accessors. Lines stay where they were;
 * columns after a rewritten key move.
 */
export function withLiteralPropertyKeys(code: string): string {
  const program = parse(code, { ecmaVersion: 'latest', sourceType: 'module' });
  const constants = new Map<string, string>();
  const declarators = new Set<Node>();
  for (const statement of program.body) {
    if (statement.type !== 'VariableDeclaration' || statement.kind !== 'const') continue;
    for (const declarator of statement.declarations) {
      const { id, init } = declarator;
      if (id.type === 'Identifier' && init?.type === 'Literal' && typeof init.value === 'string') {
        constants.set(id.name, init.value);
        declarators.add(declarator);
      }
    }
  }
  for (const name of namesBoundIn(program, declarators)) constants.delete(name);
  const keys: { start: number; end: number; text: string }[] = [];
  visit(program, (node) => {
    if (node.type !== 'Property') return;
    const { computed, key, kind, method } = node as Property;
    const value =
      computed && kind === 'init' && !method && key.type === 'Identifier' && constants.get(key.name);
    if (typeof value !== 'string') return;
    // From the `[` before the key to the `]` after it.
    const start = code.lastIndexOf('[', key.start);
    keys.push({ start, end: code.indexOf(']', key.end) + 1, text: JSON.stringify(value) });
  });
  let rewritten = code;
  for (const { start, end, text } of keys.sort((a, b) => b.start - a.start)) {
    rewritten = rewritten.slice(0, start) + text + rewritten.slice(end);
  }
  return rewritten;
}

const FUNCTIONS_AND_CLASSES = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ClassDeclaration',
  'ClassExpression',
]);

/**
 * Every name that `program` binds other than by the declarators `except`: variables, functions, classes,
 * parameters, catch clauses, imports. Over-counts (a default value's identifiers, say), which only leaves
 * more keys as they are.
 */
function namesBoundIn(program: Node, except: Set<Node>): Set<string> {
  const names = new Set<string>();
  visit(program, (node) => {
    const bindings: (Node | null | undefined)[] = [];
    const binding = node as unknown as Record<string, Node | Node[] | null | undefined>;
    if (node.type === 'VariableDeclarator' && !except.has(node)) bindings.push(binding.id as Node);
    if (FUNCTIONS_AND_CLASSES.has(node.type)) {
      bindings.push(binding.id as Node | null, ...((binding.params as Node[] | undefined) ?? []));
    }
    if (node.type === 'CatchClause') bindings.push(binding.param as Node | null);
    if (/^Import(Default|Namespace)?Specifier$/.test(node.type)) bindings.push(binding.local as Node);
    for (const pattern of bindings.filter((found) => found !== null && found !== undefined)) {
      visit(pattern, (inner) => {
        if (inner.type === 'Identifier') names.add((inner as Identifier).name);
      });
    }
  });
  return names;
}

/** Calls `see` with every node under `node`, `node` first. */
function visit(node: Node | Expression, see: (node: Node) => void): void {
  see(node);
  for (const value of Object.values(node)) {
    for (const child of Array.isArray(value) ? value : [value]) {
      if (child && typeof child === 'object' && typeof (child as Node).type === 'string') visit(child, see);
    }
  }
}
