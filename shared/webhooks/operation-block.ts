/**
 * The operation a ticket carries in its text: one block fenced as Markdown (GitHub, Zendesk) or as Jira wiki
 * markup, holding the operation message's JSON:
 *
 * ````text
 * ```atlas-ops
 * {"type": "projectAccessList.add", "params": {…}}
 * ```
 * ````
 *
 * `{code:atlas-ops}…{code}` in Jira (also `{code:language=atlas-ops|title=…}`). Jira Cloud's webhooks give
 * `issue.fields.description` in the REST v2 text form (reference/webhooks.md §1.4), so the wiki form is
 * what an issue's code block arrives as.
 *
 * The block that runs must be the block an approver reads. GitHub-flavoured Markdown renders backtick and tilde
 * fences as code but shows nothing of an HTML comment, and folds `<details>` away (reference/webhooks.md,
 * Addendum), so a text is refused, naming the problem, when it holds more than one atlas-ops block, a tilde
 * fence for atlas-ops, an atlas-ops block that is not at the top level (quoted, in a list, inside another code
 * block or in HTML), or the word atlas-ops inside an HTML comment or any HTML block; and the block itself must
 * not hold characters that reorder or hide text (bidirectional controls, zero-width characters).
 *
 * The Markdown is read line by line as CommonMark reads blocks (fences, HTML blocks, comments), not with a
 * full parser: where the two could differ, this reader refuses.
 */
import type { FieldProblem } from '../atlas/index.ts';
import { nestsDeeperThan } from '../config/json-depth.ts';
import { MAX_JSON_DEPTH } from '../config/rules.ts';

export type OperationBlock =
  | { found: false }
  | { found: true; operation: unknown }
  | { found: true; problems: FieldProblem[] };

const INFO = 'atlas-ops';
const JIRA_WIKI = /\{code:(?:language=)?atlas-ops(?:\|[^}]*)?\}([\s\S]*?)\{code\}/gi;
/** A fence line (CommonMark §4.5): up to three spaces, then three or more backticks or tildes, then the info. */
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
/** Text that reorders or hides what is shown: bidirectional controls and zero-width characters. */
const DECEPTIVE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;
/** An HTML block's first line (CommonMark §4.6, all seven kinds), after up to three spaces. */
const HTML_BLOCK_START = /^ {0,3}<(?:!--|\?|![A-Za-z]|!\[CDATA\[|\/?[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$))/;
/** HTML blocks that end at a terminator rather than at a blank line (CommonMark §4.6, kinds 1–5). */
const HTML_BLOCK_ENDS: [RegExp, RegExp][] = [
  [/^ {0,3}<(?:pre|script|style|textarea)(?:[\s>]|$)/i, /<\/(?:pre|script|style|textarea)>/i],
  [/^ {0,3}<!--/, /-->/],
  [/^ {0,3}<\?/, /\?>/],
  [/^ {0,3}<!\[CDATA\[/, /\]\]>/],
  [/^ {0,3}<![A-Za-z]/, />/],
];

interface Fence {
  marker: '`' | '~';
  length: number;
  /** The info string's first word, lower case. */
  language: string;
  /** The lines between the fences. */
  lines: string[];
  /** Why this fence is not a block an approver is sure to see, when it is not. */
  hiddenBy?: string;
}

/**
 * The JSON of the one atlas-ops block in `text`. None: `found: false` (the ticket asks nothing of us). More
 * than one, a hidden or ambiguous one, or one that is not JSON: the problems, named by `field` (the rule's
 * operation expression).
 */
export function operationBlockIn(text: string, field: string): OperationBlock {
  const problem = (description: string): OperationBlock => ({
    found: true,
    problems: [{ field, description }],
  });
  const markdown = readMarkdown(text.replace(/\r\n?/g, '\n'));
  if (markdown.problem) return problem(markdown.problem);
  const wiki = [...text.matchAll(JIRA_WIKI)].map((match) => match[1] ?? '');
  const blocks = [...markdown.blocks.map((fence) => fence.lines.join('\n')), ...wiki];
  if (blocks.length === 0) return { found: false };
  if (blocks.length > 1) {
    return problem(
      `holds ${blocks.length} atlas-ops blocks; a ticket asks for one operation, so put one block in it`,
    );
  }
  const json = blocks[0] ?? '';
  if (DECEPTIVE.test(json)) {
    return problem(
      'its atlas-ops block holds characters that reorder or hide text (bidirectional or zero-width)',
    );
  }
  if (nestsDeeperThan(json)) return problem(`its atlas-ops block nests deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return { found: true, operation: JSON.parse(json) as unknown };
  } catch {
    // The parser's message quotes the block; it is the ticket's text, but keep answers short and plain.
    return problem('its atlas-ops block is not valid JSON');
  }
}

/** The visible top-level atlas-ops backtick blocks of a Markdown text, or the first reason to refuse it. */
function readMarkdown(text: string): { blocks: Fence[]; problem?: string } {
  const lines = text.split('\n');
  const fences: Fence[] = [];
  /** Words seen outside fences where a reader may not see them. */
  let mentionHiddenIn: string | undefined;
  let fence: Fence | undefined;
  /** The HTML block being read: what ends it, and what to call it. */
  let html: { end: RegExp | 'blank'; kind: string } | undefined;
  let openDetails = 0;
  for (const line of lines) {
    if (fence) {
      const close = FENCE.exec(line);
      const marker = close?.[1] ?? '';
      if (close && marker[0] === fence.marker && marker.length >= fence.length && close[2]?.trim() === '') {
        fence = undefined;
      } else {
        fence.lines.push(line);
      }
      continue;
    }
    if (html) {
      // Inside an HTML block: raw HTML, never Markdown; a fence here is text in HTML, a comment hides it.
      if (html.end === 'blank' && line.trim() === '') {
        html = undefined;
        continue;
      }
      if (mentions(line)) mentionHiddenIn ??= html.kind;
      openDetails += countDetails(line);
      if (html.end !== 'blank' && html.end.test(line)) html = undefined;
      continue;
    }
    if (HTML_BLOCK_START.test(line)) {
      const kind = /^ {0,3}<!--/.test(line) ? 'an HTML comment' : 'HTML';
      if (mentions(line)) mentionHiddenIn ??= kind;
      openDetails += countDetails(line);
      const ending = HTML_BLOCK_ENDS.find(([opens]) => opens.test(line));
      const opened = ending?.[0].exec(line);
      // A block whose terminator is on its first line, after the opening, ends there; the others run on.
      if (ending && opened && ending[1].test(line.slice(opened.index + opened[0].length))) continue;
      html = { end: ending?.[1] ?? 'blank', kind };
      continue;
    }
    const opening = FENCE.exec(line);
    if (opening) {
      const marker = opening[1] ?? '```';
      const info = opening[2] ?? '';
      if (marker[0] === '`' && info.includes('`')) {
        // Not a fence (CommonMark: a backtick fence's info string holds no backtick): inline code.
        if (mentions(line)) mentionHiddenIn ??= 'inline code';
        continue;
      }
      fence = {
        marker: marker[0] === '~' ? '~' : '`',
        length: marker.length,
        language: info.trim().split(/\s+/)[0]?.toLowerCase() ?? '',
        lines: [],
        ...(openDetails > 0 ? { hiddenBy: 'a <details> section' } : {}),
      };
      fences.push(fence);
      continue;
    }
    openDetails += countDetails(line);
    if (/<!--/.test(line) && mentions(line.slice(line.indexOf('<!--'))))
      mentionHiddenIn ??= 'an HTML comment';
    // A fence-like line that is not a top-level fence: in a quote, a list, indented code.
    if (/(?:`{3,}|~{3,})\s*atlas-ops/i.test(line)) {
      return {
        blocks: [],
        problem: 'has an atlas-ops block that is not at the top level (quoted, in a list or indented)',
      };
    }
  }
  const atlas = fences.filter((candidate) => candidate.language === INFO);
  if (mentionHiddenIn) {
    return {
      blocks: [],
      problem: `mentions atlas-ops in ${mentionHiddenIn}, which a reader does not see as written; put the one block in plain view`,
    };
  }
  const tilde = atlas.find((candidate) => candidate.marker === '~');
  if (tilde) {
    return {
      blocks: [],
      problem: 'has a ~~~atlas-ops fence; write the one atlas-ops block with backticks (```)',
    };
  }
  const hidden = atlas.find((candidate) => candidate.hiddenBy);
  if (hidden) {
    return { blocks: [], problem: `has its atlas-ops block inside ${hidden.hiddenBy}; put it in plain view` };
  }
  const nested = fences.find((candidate) => candidate.language !== INFO && candidate.lines.some(mentions));
  if (nested) {
    return {
      blocks: [],
      problem: 'mentions atlas-ops inside another code block; put the one block in plain view',
    };
  }
  return { blocks: atlas };
}

function mentions(line: string): boolean {
  return line.toLowerCase().includes(INFO);
}

/** `<details>` opened minus closed on a line. */
function countDetails(line: string): number {
  return (line.match(/<details[\s>]/gi)?.length ?? 0) - (line.match(/<\/details\s*>/gi)?.length ?? 0);
}
