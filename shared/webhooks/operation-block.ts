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
 */
import type { FieldProblem } from '../atlas/index.ts';

const MARKDOWN = /(?:^|\n)[ \t]*```atlas-ops[ \t]*\r?\n([\s\S]*?)\r?\n[ \t]*```/g;
const JIRA_WIKI = /\{code:(?:language=)?atlas-ops(?:\|[^}]*)?\}([\s\S]*?)\{code\}/g;

export type OperationBlock =
  | { found: false }
  | { found: true; operation: unknown }
  | { found: true; problems: FieldProblem[] };

/**
 * The JSON of the one atlas-ops block in `text`. None: `found: false` (the ticket asks nothing of us). More
 * than one, or one that is not JSON: the problems, named by `field` (the rule's operation expression).
 */
export function operationBlockIn(text: string, field: string): OperationBlock {
  const blocks = [...text.matchAll(MARKDOWN), ...text.matchAll(JIRA_WIKI)].map((match) => match[1] ?? '');
  if (blocks.length === 0) return { found: false };
  if (blocks.length > 1) {
    return {
      found: true,
      problems: [
        {
          field,
          description: `holds ${blocks.length} atlas-ops blocks; a ticket asks for one operation, so put one block in it`,
        },
      ],
    };
  }
  try {
    return { found: true, operation: JSON.parse(blocks[0] ?? '') as unknown };
  } catch {
    // The parser's message quotes the block; it is the ticket's text, but keep answers short and plain.
    return { found: true, problems: [{ field, description: 'its atlas-ops block is not valid JSON' }] };
  }
}
