/**
 * JSON from people: `parseJson` is `JSON.parse`, and when the text is not JSON it says where and why in
 * words a person fixes a file with — `line 3, column 14: unexpected "]" after ","; JSON allows no trailing
 * comma` — rather than V8's message, which names a character offset only sometimes.
 * The place is found by a scan of its own that runs only once `JSON.parse` has failed: one pass, no
 * recursion (a broken text nested thousands deep cannot overflow the stack).
 */

/** The text is not JSON: `line` and `column` (1-based, in characters) are where it stops being JSON. */
export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
  readonly line: number;
  readonly column: number;
  /** What is wrong there, e.g. `unexpected "]" after ","; JSON allows no trailing comma`. */
  readonly reason: string;

  constructor(line: number, column: number, reason: string) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}

/**
 * `JSON.parse(text)`; throws `JsonSyntaxError` naming the line, column and reason when `text` is not JSON.
 * @example parseJson('{"a": [1,]}') // throws: line 1, column 10: unexpected "]" after ","; JSON allows no trailing comma
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const found = firstSyntaxError(text) ?? { offset: text.length, reason: error.message };
    const before = text.slice(0, found.offset);
    const line = before.split('\n').length;
    const column = found.offset - (before.lastIndexOf('\n') + 1) + 1;
    throw new JsonSyntaxError(line, column, found.reason);
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX4 = /[0-9a-fA-F]{4}/y;

/** Where `text` first stops being JSON, and why; undefined when it is JSON after all. */
function firstSyntaxError(text: string): { offset: number; reason: string } | undefined {
  const open: ('{' | '[')[] = [];
  let i = 0;
  /** `value`: a value is due; `key`: a property name; `colon`: its ":"; `next`: "," or a close, or the end. */
  let expecting: 'value' | 'key' | 'colon' | 'next' = 'value';
  let afterComma = false;
  const fail = (reason: string, offset = i) => ({ offset, reason });
  const unexpected = (what: string) => {
    if (i >= text.length) return fail(`the text ends where ${what} should be`);
    const char = text[i] ?? '';
    const close = char === ']' || char === '}';
    if (afterComma && close) return fail(`unexpected "${char}" after ","; JSON allows no trailing comma`);
    const hint = hintFor(char, text, i);
    return fail(`unexpected ${quoted(char)}${hint ? `: ${hint}` : `; expected ${what}`}`);
  };

  for (;;) {
    while (i < text.length && WHITESPACE.has(text[i] ?? '')) i += 1;
    const char = text[i];
    switch (expecting) {
      case 'value': {
        if (char === '{' || char === '[') {
          i += 1;
          open.push(char);
          expecting = char === '{' ? 'key' : 'value';
          afterComma = false;
          // An empty object or array closes at once.
          while (i < text.length && WHITESPACE.has(text[i] ?? '')) i += 1;
          if (text[i] === (char === '{' ? '}' : ']')) {
            i += 1;
            open.pop();
            expecting = 'next';
          }
          continue;
        }
        if (char === '"') {
          const problem = skipString();
          if (problem) return problem;
        } else if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) {
          NUMBER.lastIndex = i;
          if (!NUMBER.test(text)) return fail(`a number is cut short`);
          i = NUMBER.lastIndex;
        } else {
          const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
          if (!literal) return unexpected('a value');
          i += literal.length;
        }
        expecting = 'next';
        afterComma = false;
        continue;
      }
      case 'key': {
        if (char !== '"') return unexpected('a property name in double quotes');
        const problem = skipString();
        if (problem) return problem;
        expecting = 'colon';
        afterComma = false;
        continue;
      }
      case 'colon':
        if (char !== ':') return unexpected('":" after the property name');
        i += 1;
        expecting = 'value';
        continue;
      case 'next': {
        const container = open.at(-1);
        if (container === undefined) {
          if (i >= text.length) return undefined;
          return fail(`unexpected ${quoted(char ?? '')} after the end of the JSON value`);
        }
        const close = container === '{' ? '}' : ']';
        if (char === ',') {
          i += 1;
          expecting = container === '{' ? 'key' : 'value';
          afterComma = true;
          continue;
        }
        if (char === close) {
          i += 1;
          open.pop();
          continue;
        }
        return unexpected(`"," or "${close}"`);
      }
    }
  }

  /** Moves past the string starting at `i`; the problem when it is not a JSON string. */
  function skipString(): { offset: number; reason: string } | undefined {
    const start = i;
    i += 1;
    while (i < text.length) {
      const char = text[i] ?? '';
      if (char === '"') {
        i += 1;
        return undefined;
      }
      if (char === '\\') {
        const escaped = text[i + 1] ?? '';
        if (escaped === 'u') {
          HEX4.lastIndex = i + 2;
          if (!HEX4.test(text)) return fail('"\\u" must be followed by four hexadecimal digits');
          i += 6;
        } else if (ESCAPES.has(escaped)) {
          i += 2;
        } else {
          return fail(`"\\${escaped}" is not an escape JSON knows`);
        }
        continue;
      }
      if (char < ' ') {
        return fail(
          char === '\n'
            ? 'a string is not closed before the end of the line'
            : 'a control character in a string',
        );
      }
      i += 1;
    }
    return fail('a string is never closed', start);
  }
}

/** A character as a person would look for it. */
function quoted(char: string): string {
  if (char === '\uFEFF') return 'byte-order mark';
  return char < ' ' ? `character U+${char.charCodeAt(0).toString(16).padStart(4, '0')}` : `"${char}"`;
}

/** Why a person wrote what is at `offset`, when that is a well-known mistake. */
function hintFor(char: string, text: string, offset: number): string | undefined {
  if (char === '\uFEFF') return 'save the file as UTF-8 without one';
  if (char === "'") return 'JSON strings take double quotes';
  if (char === '/' && (text[offset + 1] === '/' || text[offset + 1] === '*')) return 'JSON has no comments';
  return undefined;
}
