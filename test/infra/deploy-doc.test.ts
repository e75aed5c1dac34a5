/** docs/deploy.md against the code: its context-key table and its list of stack outputs cannot drift. */
import { readFile } from 'node:fs/promises';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { AtlasOpsStack } from '../../infra/atlas-ops-stack.ts';
import { contextTableIn, renderContextTable, tableCells } from '../../infra/context.ts';
import { testApp } from '../support/cdk.ts';

const DOC = new URL('../../docs/deploy.md', import.meta.url);

/** The lines of the section under `## title`, up to the next `## ` heading. */
function section(doc: string, title: string): string[] {
  const lines = doc.split('\n');
  const start = lines.indexOf(`## ${title}`);
  if (start < 0) return [];
  const end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

describe('docs/deploy.md', () => {
  it('has the context-key table rendered from infra/context.ts', async () => {
    // Prepare
    const doc = await readFile(DOC, 'utf8');

    // Act: cell by cell (Biome pads the columns).
    const table = tableCells(contextTableIn(doc) ?? '');

    // Assess
    expect(table, 'docs/deploy.md: the context-key table is out of date; run `npm run docs:context`').toEqual(
      tableCells(renderContextTable()),
    );
  });

  it('lists, by its exact name, every output of a stack with every worker, and no other', async () => {
    // Prepare
    const doc = await readFile(DOC, 'utf8');
    const stack = new AtlasOpsStack(testApp(), 'AtlasOps', {
      provisioning: {},
      accessListSync: {},
      staticEgressIps: 2,
      alarmEmail: 'ops@example.com',
    });

    // Act: the names in the first column of the outputs table.
    const documented = section(doc, 'Stack outputs')
      .filter((line) => line.startsWith('| `'))
      .flatMap((line) => [...(line.split(' | ')[0] ?? '').matchAll(/`([A-Za-z0-9]+)`/g)].map((m) => m[1]))
      .sort();
    const outputs = Object.keys(Template.fromStack(stack).toJSON().Outputs).sort();

    // Assess
    expect(documented, 'docs/deploy.md, "Stack outputs": one row per output of the stack').toEqual(outputs);
  });
});
