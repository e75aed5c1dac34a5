/** Words in alarm descriptions and dashboard titles, said as a sentence says them. */

/** `word` after its indefinite article: `an inventory`, `a notifier`; capitalised to start a sentence. */
export function withArticle(word: string, options: { capital?: boolean } = {}): string {
  const article = /^[aeiou]/i.test(word) ? 'an' : 'a';
  return `${options.capital ? capitalised(article) : article} ${word}`;
}

/** `word` with its first letter upper-case: `operation` → `Operation`. */
export function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
