/**
 * A count and its noun, singular for one: `plural(1, "attempt")` is "1 attempt",
 * `plural(2, "batch", "batches")` is "2 batches".
 */
export function plural(count: number, word: string, words = `${word}s`): string {
  return `${count} ${count === 1 ? word : words}`;
}
