/**
 * How deeply a JSON text nests, read without parsing it: every later step (JSON.parse, zod, JMESPath, the
 * canonical JSON an operation id is derived from) recurses per level, and a body nested a few thousand levels
 * deep overflows the stack. Anything read from outside is checked against `MAX_JSON_DEPTH` first.
 */
import { MAX_JSON_DEPTH } from './rules.ts';

export { MAX_JSON_DEPTH };

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether `text` (JSON, valid or not) opens more than `maxDepth` objects and arrays inside one another.
 * Strings are skipped, escapes included, so a bracket in a value does not count. One pass, no recursion.
 *
 * @example nestsDeeperThan('[[1]]', 1) // true
 */
export function nestsDeeperThan(text: string | Buffer, maxDepth: number = MAX_JSON_DEPTH): boolean {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i += 1;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth -= 1;
    }
  }
  return false;
}
