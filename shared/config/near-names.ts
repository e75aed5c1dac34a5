/**
 * "Did you mean …?": the known name a mistyped one most likely meant — a command, an operation type, a field.
 * Names compare case-insensitively by edit distance, a swap of two neighbouring letters counting as one edit.
 */

/** Longer input is not a typo of a name; this also bounds the work for input of any length. */
const MAX_NAME_LENGTH = 100;

/**
 * The candidate nearest to `name` when it is near enough to be a typo of it: at most one edit per three
 * characters (at least one), or `name` a prefix of exactly one candidate (at least three characters).
 * Undefined when nothing is that near, or `name` is one of the candidates already.
 *
 * @example nearestName('stauts', ['start', 'status']) // 'status'
 * @example nearestName('projectAccessList.ad', OPERATION_TYPES.keys()) // 'projectAccessList.add'
 * @example nearestName('inv', ['inventory', 'run']) // 'inventory'
 */
export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return undefined;
  const names = [...candidates];
  if (names.includes(name)) return undefined;
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const candidate of names) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best !== undefined) return best;
  const extending = names.filter((candidate) => candidate.toLowerCase().startsWith(lower));
  return lower.length >= 3 && extending.length === 1 ? extending[0] : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > MAX_NAME_LENGTH) return Number.POSITIVE_INFINITY;
  // rows[i][j]: the distance between a's first i and b's first j characters; three rows are enough.
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + substitution,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, (beforePrevious[j - 2] ?? 0) + 1);
      }
      current.push(distance);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}
