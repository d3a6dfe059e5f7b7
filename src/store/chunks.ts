/**
 * Splits `items` into runs of at most `size`. Multi-row statements are chunked to stay under
 * SQLite's limit of 32,766 bound parameters (PostgreSQL's is 65,535).
 */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}
