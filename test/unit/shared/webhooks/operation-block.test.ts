import { describe, expect, it } from 'vitest';
import { operationBlockIn } from '../../../../shared/webhooks/operation-block.ts';

const op = (cidr: string) => JSON.stringify({ type: 'projectAccessList.add', params: { cidr } });
const block = (cidr: string) => `\`\`\`atlas-ops\n${op(cidr)}\n\`\`\``;
const read = (text: string) => operationBlockIn(text, '(operation)');
const problem = (text: string) => {
  const found = read(text);
  return 'problems' in found ? (found.problems[0]?.description ?? '') : undefined;
};

describe('operationBlockIn', () => {
  it('reads the one visible block, with prose around it mentioning atlas-ops', () => {
    // Act
    const found = read(
      `Please run this atlas-ops request.\r\n\r\n${block('a').replaceAll('\n', '\r\n')}\r\n\r\nThanks`,
    );

    // Assess
    expect(found).toEqual({ found: true, operation: JSON.parse(op('a')) });
  });

  it('reads a block after an HTML comment that says nothing of atlas-ops (a GitHub issue template)', () => {
    // Act + Assess
    expect(read(`<!-- Describe your request below -->\n\n${block('a')}`)).toMatchObject({
      found: true,
      operation: {},
    });
  });

  it('finds nothing in a text without a block', () => {
    // Act + Assess
    expect(read('Nothing here, atlas-ops.')).toEqual({ found: false });
  });

  it.each([
    [
      'a backtick block hidden in an HTML comment',
      `~~~atlas-ops\n${op('a')}\n~~~\n<!--\n${block('b')}\n-->`,
      /HTML comment/,
    ],
    [
      'a comment opened on a line of its own and never closed',
      `${block('a')}\n\n<!--\n${block('b')}`,
      /HTML comment/,
    ],
    [
      'an inline comment mentioning atlas-ops',
      `${block('a')}\n\nSee <!-- atlas-ops: ignore --> here`,
      /HTML comment/,
    ],
    ['a block inside <details>', `<details>\n\n${block('a')}\n\n</details>`, /<details>/],
    ['a block in an HTML block', `<div>\n${block('a')}\n</div>`, /HTML/],
    ['a tilde fence', `~~~atlas-ops\n${op('a')}\n~~~`, /~~~atlas-ops/],
    ['a quoted block', `> \`\`\`atlas-ops\n> ${op('a')}\n> \`\`\``, /not at the top level/],
    ['an indented block', `    \`\`\`atlas-ops\n    ${op('a')}\n    \`\`\``, /not at the top level/],
    [
      'a block inside another code block',
      `\`\`\`\`text\n${block('a')}\n\`\`\`\`\n\n${block('b')}`,
      /inside another code block/,
    ],
    ['two blocks', `${block('a')}\n\n${block('b')}`, /2 atlas-ops blocks/],
    [
      'a Markdown and a wiki block',
      `${block('a')}\n\n{code:atlas-ops}${op('b')}{code}`,
      /2 atlas-ops blocks/,
    ],
    ['a right-to-left override in the block', block('a\u202e0/0.0.0.0'), /reorder or hide/],
    ['a zero-width space in the block', block('10.0.0.0\u200b/8'), /reorder or hide/],
    [
      'a block nested deeper than 32 levels',
      `\`\`\`atlas-ops\n${'['.repeat(40)}${']'.repeat(40)}\n\`\`\``,
      /deeper than 32/,
    ],
  ])('refuses %s, naming it', (_case, text, description) => {
    // Act + Assess
    expect(problem(text)).toMatch(description);
  });

  it('reads a Jira wiki block', () => {
    // Act + Assess
    expect(read(`Please.\n{code:atlas-ops}\n${op('a')}\n{code}`)).toEqual({
      found: true,
      operation: JSON.parse(op('a')),
    });
  });
});
