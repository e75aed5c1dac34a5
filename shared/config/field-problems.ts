/**
 * zod's issues as the problems people read: one per bad field, named by its path (`projects.0.groupId`),
 * never by its value, in plain words — a missing field "is required", not "Invalid input: expected string,
 * received undefined". Parse with `{ reportInput: true }`: a missing field is told apart by its input.
 */
import type * as z from './zod.ts';

export interface FieldProblemWording {
  /** Put before every path (`params`). */
  prefix?: string;
  /** The name of the whole document when the path is empty: `(document)`, `(message)`. */
  root: string;
  /** What an unknown key is: `is not a field of the desired state`, `is not a known field`. */
  unknownKey: string;
}

/**
 * One `{field, description}` per bad field of `issues`; an unknown key is named itself.
 * @example fieldProblems(result.error.issues, { root: '(document)', unknownKey: 'is not a known field' })
 */
export function fieldProblems(
  issues: readonly z.core.$ZodIssue[],
  wording: FieldProblemWording,
): { field: string; description: string }[] {
  const fieldOf = (path: readonly PropertyKey[]) =>
    [wording.prefix, ...path.map(String)].filter(Boolean).join('.') || wording.root;
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: fieldOf([...issue.path, key]),
        description: wording.unknownKey,
      }));
    }
    const field = fieldOf(issue.path);
    if (issue.code === 'invalid_type' && issue.input === undefined)
      return [{ field, description: 'is required' }];
    if (issue.code === 'invalid_type' && issue.path.length === 0 && !wording.prefix) {
      return [{ field, description: 'must be a JSON object' }];
    }
    return [{ field, description: issue.message }];
  });
}
