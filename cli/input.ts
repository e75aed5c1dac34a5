/**
 * The CLI's JSON input — a file path, or `-` for standard input — and how its problems are told: one line
 * each, `FILE: field: description` (a JSON syntax error `FILE:LINE:COLUMN: not JSON: why`, as compilers
 * write it, so a terminal or editor can jump there), then one line saying what the command did not do.
 */
import { readFile } from 'node:fs/promises';
import type { FieldProblem } from '../shared/atlas/index.ts';
import { JsonSyntaxError, parseJson } from '../shared/config/json-syntax.ts';
import { UsageError } from './command.ts';

/** The text of `source` (a path, or `-` for stdin); a missing argument or unreadable file is a usage error. */
export async function readInput(source: string | undefined, usage: string): Promise<string> {
  if (!source) throw new UsageError(`name a JSON file, or - for standard input\n${usage}`);
  if (source === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(source, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${source}`);
  }
}

/** How messages name the input: its path as given, or `(standard input)`. */
export function inputName(source: string): string {
  return source === '-' ? '(standard input)' : source;
}

/** Input that cannot be used: the lines that say why, printed by `refuseInput`. */
export class InputProblems extends Error {
  override name = 'InputProblems';
  readonly lines: readonly string[];

  constructor(lines: readonly string[]) {
    super(lines.join('\n'));
    this.lines = lines;
  }
}

/** The JSON of `text` read from `source`; `InputProblems` with the line and column when it is not JSON. */
export function parseJsonInput(text: string, source: string): unknown {
  try {
    return parseJson(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new InputProblems([
      `${inputName(source)}:${error.line}:${error.column}: not JSON: ${error.reason}`,
    ]);
  }
}

/**
 * One line per problem, `FILE: field: description`. Fields with the same description share its line
 * (`FILE: [0].type, [2].type: …`), so a long description — the list of known types — is printed once.
 */
export function problemLines(source: string, problems: readonly FieldProblem[]): string[] {
  const fieldsByDescription = new Map<string, string[]>();
  for (const { field, description } of problems) {
    const fields = fieldsByDescription.get(description) ?? [];
    if (!fields.includes(field)) fields.push(field);
    fieldsByDescription.set(description, fields);
  }
  return [...fieldsByDescription].map(
    ([description, fields]) => `${inputName(source)}: ${fields.join(', ')}: ${description}`,
  );
}

/** Prints `problems`' lines, then `atlas-ops COMMAND: outcome`, on stderr; the exit code of bad input, 2. */
export function refuseInput(command: string, problems: InputProblems, outcome: string): number {
  process.stderr.write(`${problems.lines.join('\n')}\natlas-ops ${command}: ${outcome}\n`);
  return 2;
}
