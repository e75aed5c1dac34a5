/**
 * The pages a person reads — README.md, docs/ and examples/README.md — hold no dead link: every relative link
 * points at a file of the repository, every `#anchor` at a heading of its page (as GitHub names headings), and
 * no page sends the reader to something outside the repository that they cannot open (an issue number, the
 * developers' design notes).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WORKERS } from '../../functions/workers.ts';
import { OPERATION_TYPES } from '../../shared/operations/registry.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Every page: the README, each page under docs/, the examples' page. */
function pages(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name));
  return ['README.md', ...docs, 'examples/README.md'];
}

/** The page's text outside fenced code blocks (a link in a code sample is not a link). */
function prose(text: string): string {
  return text.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '');
}

/** GitHub's anchor of each heading of a page: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading = ''] of prose(text).matchAll(/^#{1,6}[ \t]+(.+?)[ \t]*#*$/gm)) {
    const base = heading
      .toLowerCase()
      .replace(/`/g, '')
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .trim()
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

interface Link {
  page: string;
  target: string;
}

/** The relative links of a page (Markdown `[text](target)`), web and mail links left out. */
function linksOf(page: string): Link[] {
  const text = prose(readFileSync(join(ROOT, page), 'utf8'));
  return [...text.matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((match) => match[1] ?? '')
    .filter((target) => !/^[a-z]+:/i.test(target))
    .map((target) => ({ page, target }));
}

/** Why `link` is broken, or undefined when it is not. */
function brokenBecause({ page, target }: Link): string | undefined {
  const [path = '', anchor] = target.split('#');
  const file = path === '' ? join(ROOT, page) : join(ROOT, dirname(page), decodeURIComponent(path));
  if (!relative(ROOT, file) || relative(ROOT, file).startsWith('..')) return 'leaves the repository';
  if (!existsSync(file)) return 'no such file';
  if (anchor === undefined) return undefined;
  if (statSync(file).isDirectory() || !file.endsWith('.md'))
    return 'an anchor into something that is not a page';
  return anchorsOf(readFileSync(file, 'utf8')).has(anchor) ? undefined : `no heading #${anchor}`;
}

describe('the documentation', () => {
  it('has no broken relative link or anchor', () => {
    // Act
    const links = pages().flatMap(linksOf);
    const broken = links
      .map((link) => ({ ...link, why: brokenBecause(link) }))
      .filter((link) => link.why !== undefined);

    // Assess
    expect(links.length).toBeGreaterThan(40);
    expect(broken).toEqual([]);
  });

  it('sends no reader to an issue number or to notes outside the repository', () => {
    // Act
    const found = pages().flatMap((page) =>
      [...readFileSync(join(ROOT, page), 'utf8').matchAll(/\b(issue \d+|design\.md|\.\.\/shared\/)/gi)].map(
        (match) => `${page}: ${match[0]}`,
      ),
    );

    // Assess
    expect(found).toEqual([]);
  });

  it('keeps the README a front door: at most 250 lines, linking every page under docs/', () => {
    // Act
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const linked = new Set(linksOf('README.md').map((link) => link.target.split('#')[0]));

    // Assess
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
    for (const page of pages().filter((p) => p.startsWith('docs/'))) expect(linked, page).toContain(page);
  });

  it("names every worker of the workers list in the README's worker table, and no other", () => {
    // Prepare
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

    // Act: the first column of the table under the picture, each name in code font.
    const names = [...readme.matchAll(/^\| `([a-z-]+)` +\|/gm)].map((match) => match[1]);

    // Assess
    expect(names.sort()).toEqual(WORKERS.map((worker) => worker.name).sort());
  });

  it('lists every operation type in the provisioning page, with the risk class it declares', () => {
    // Act
    const page = readFileSync(join(ROOT, 'docs/provisioning.md'), 'utf8');

    // Assess
    for (const [type, definition] of OPERATION_TYPES) {
      expect(page, type).toMatch(new RegExp(`\\| \`${type}\` +\\| ${definition.risk} +\\|`));
    }
  });
});

describe('anchorsOf', () => {
  it('names headings as GitHub does', () => {
    // Act
    const anchors = anchorsOf(
      '# The CLI\n## Who may send and who may approve\n## `run`, `sync`\n## Again\n## Again\n',
    );

    // Assess
    expect([...anchors]).toEqual([
      'the-cli',
      'who-may-send-and-who-may-approve',
      'run-sync',
      'again',
      'again-1',
    ]);
  });
});
