/** JSON from people: where a text stops being JSON, and why, in the words a person fixes a file with. */
import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, parseJson } from '../../../../shared/config/json-syntax.ts';

/** The message `parseJson` throws for `text`. */
function problemOf(text: string): string {
  try {
    parseJson(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return error.message;
  }
  throw new Error('the text was accepted');
}

describe('parseJson', () => {
  it('parses JSON as JSON.parse does', () => {
    // Act
    const value = parseJson('{"a": [1, "x\\n", true, null, -2.5e3, {}]}');

    // Assess
    expect(value).toEqual({ a: [1, 'x\n', true, null, -2500, {}] });
  });

  it.each([
    [
      'a trailing comma',
      '[\n  1,\n  2,\n]',
      'line 4, column 1: unexpected "]" after ","; JSON allows no trailing comma',
    ],
    ['a cut-off document', '{"projects": [', 'line 1, column 15: the text ends where a value should be'],
    ['single quotes', "{'a': 1}", `line 1, column 2: unexpected "'": JSON strings take double quotes`],
    ['a missing colon', '{"a" 1}', 'line 1, column 6: unexpected "1"; expected ":" after the property name'],
    ['a missing comma', '[1 2]', 'line 1, column 4: unexpected "2"; expected "," or "]"'],
    [
      'a comment',
      '{\n  // the office\n  "a": 1\n}',
      'line 2, column 3: unexpected "/": JSON has no comments',
    ],
    [
      'text after the value',
      '{"a": 1} {"b": 2}',
      'line 1, column 10: unexpected "{" after the end of the JSON value',
    ],
    [
      'a string broken by a line end',
      '{"a": "x\ny"}',
      'line 1, column 9: a string is not closed before the end of the line',
    ],
    ['an unknown escape', '["\\x"]', 'line 1, column 3: "\\x" is not an escape JSON knows'],
    ['a bare word', '{"a": NaN}', 'line 1, column 7: unexpected "N"; expected a value'],
    [
      'a byte-order mark',
      '\uFEFF{}',
      'line 1, column 1: unexpected byte-order mark: save the file as UTF-8 without one',
    ],
  ])('names the line, column and reason of %s', (_, text, expected) => {
    // Act
    const problem = problemOf(text);

    // Assess
    expect(problem).toBe(expected);
  });

  it('finds the place in a broken text nested far deeper than the stack could recurse', () => {
    // Act
    const problem = problemOf('['.repeat(200_000));

    // Assess
    expect(problem).toBe('line 1, column 200001: the text ends where a value should be');
  });
});
