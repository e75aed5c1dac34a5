/**
 * Marks each module of a bundle for eager compilation, to spare V8 a second parse of every module a cold start
 * runs.
 *
 * V8 compiles a function lazily: when it first meets one it only pre-parses it (checks its syntax, finds its
 * variables), and parses it in full again when the function is first called. esbuild bundles every CommonJS
 * module, and every ES module that something `require()`s, as a function handed to one of its runtime helpers
 * (`__commonJS`, `__esm`) and called when the module is first required. At a cold start nearly all of them
 * are, so V8 reads the text of each twice. A function in parentheses is one V8 expects to be called at once
 * and compiles on first sight ("PIFE", https://v8.dev/blog/preparser#pife; arrow functions too, in V8's
 * src/parsing/parser-base.h, as oxc-project/oxc#12353 traces it): `__commonJS(((exports, module) => {…}))` is
 * read once. esbuild's minifier drops such parentheses; the parentheses change nothing else, and the functions
 * inside a module stay lazy.
 *
 * Measured on this machine (`npm run bench -- coldstart`, docs/cold-start.md): 8–10% off every function's import
 * time, and off the reference's.
 */
import { decode, encode } from '@jridgewell/sourcemap-codec';
import type { CallExpression, Expression, Program } from 'acorn';
import { parse } from 'acorn';

/** A source map as esbuild writes it (version 3); only `mappings` is touched here. */
export interface SourceMapJson {
  sources: string[];
  mappings: string;
  [field: string]: unknown;
}

export interface EagerBundle {
  code: string;
  map: SourceMapJson;
  /** How many module bodies were put in parentheses. */
  modules: number;
}

/** An insertion of one character at `offset` of the code, which is at `line` (0-based) and `column`. */
interface Insertion {
  offset: number;
  line: number;
  column: number;
  text: '(' | ')';
}

/**
 * `code` (an esbuild bundle) with the body of each of its modules in parentheses, and `map` (its source map)
 * moved to match: a column after an inserted parenthesis on its line moves right by one.
 */
export function compileModuleBodiesEagerly(code: string, map: SourceMapJson): EagerBundle {
  // `preserveParens` keeps a body already in parentheses visible as such: a second pass changes nothing.
  const program = parse(code, { ecmaVersion: 'latest', sourceType: 'module', preserveParens: true });
  const position = positionsIn(code);
  const insertions: Insertion[] = [];
  for (const body of moduleBodies(program, moduleHelpers(program))) {
    insertions.push({ ...position(body.start), text: '(' }, { ...position(body.end), text: ')' });
  }
  insertions.sort((a, b) => a.offset - b.offset);
  return {
    code: insertAll(code, insertions),
    map: { ...map, mappings: shiftMappings(map.mappings, insertions) },
    modules: insertions.length / 2,
  };
}

/**
 * The line (0-based) and column of an offset in `code`, lines split at `\n` as in the source map. (acorn's own
 * locations would also split at U+2028 and U+2029; esbuild escapes both in its output, so they never differ.)
 */
function positionsIn(code: string): (offset: number) => { offset: number; line: number; column: number } {
  const lineStarts = [0];
  for (let index = code.indexOf('\n'); index !== -1; index = code.indexOf('\n', index + 1)) {
    lineStarts.push(index + 1);
  }
  return (offset) => {
    // The last line that starts at or before the offset.
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if ((lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { offset, line: low, column: offset - (lineStarts[low] ?? 0) };
  };
}

/**
 * The names of the bundle's module helpers: top-level `var`s bound to an arrow function that takes the module's
 * body and returns a (synchronous) function of no parameters, the module's once-only initialiser — esbuild's
 * `__commonJS = (cb, mod) => () => …` and `__esm = (fn, res) => () => …`, renamed by minification.
 */
function moduleHelpers(program: Program): Set<string> {
  const names = new Set<string>();
  for (const statement of program.body) {
    if (statement.type !== 'VariableDeclaration') continue;
    for (const { id, init } of statement.declarations) {
      if (
        id.type === 'Identifier' &&
        init?.type === 'ArrowFunctionExpression' &&
        init.params.length > 0 &&
        (init.body.type === 'ArrowFunctionExpression' || init.body.type === 'FunctionExpression') &&
        init.body.params.length === 0 &&
        !init.body.async
      ) {
        names.add(id.name);
      }
    }
  }
  return names;
}

/**
 * The module bodies: each function passed alone to a module helper in a top-level `var` (`var x = h(() => {…})`),
 * the shape of esbuild's minified output, which every function's bundle is (unminified, esbuild passes an object
 * with the module's path as a method's name instead, and nothing is found).
 */
function* moduleBodies(program: Program, helpers: Set<string>): Generator<Expression> {
  for (const statement of program.body) {
    if (statement.type !== 'VariableDeclaration') continue;
    for (const { init } of statement.declarations) {
      if (!init || !isHelperCall(init, helpers)) continue;
      const [body] = init.arguments;
      if (body?.type === 'ArrowFunctionExpression' || body?.type === 'FunctionExpression') yield body;
    }
  }
}

function isHelperCall(node: Expression, helpers: Set<string>): node is CallExpression {
  return (
    node.type === 'CallExpression' &&
    node.callee.type === 'Identifier' &&
    helpers.has(node.callee.name) &&
    node.arguments.length === 1
  );
}

function insertAll(code: string, insertions: readonly Insertion[]): string {
  const parts: string[] = [];
  let from = 0;
  for (const { offset, text } of insertions) {
    parts.push(code.slice(from, offset), text);
    from = offset;
  }
  parts.push(code.slice(from));
  return parts.join('');
}

/**
 * The map's mappings with each generated column moved right by the number of characters inserted on its line
 * at or before it. (Columns count UTF-16 code units in source maps, as acorn's do.)
 */
function shiftMappings(mappings: string, insertions: readonly Insertion[]): string {
  const lines = decode(mappings);
  const columnsByLine = new Map<number, number[]>();
  for (const { line, column } of insertions) {
    const columns = columnsByLine.get(line) ?? [];
    columns.push(column);
    columnsByLine.set(line, columns);
  }
  for (const [line, columns] of columnsByLine) {
    const segments = lines[line];
    if (!segments) continue;
    // Both lists are in column order: walk them together.
    let inserted = 0;
    for (const segment of segments) {
      while (inserted < columns.length && (columns[inserted] ?? Number.POSITIVE_INFINITY) <= segment[0]) {
        inserted += 1;
      }
      segment[0] += inserted;
    }
  }
  return encode(lines);
}
