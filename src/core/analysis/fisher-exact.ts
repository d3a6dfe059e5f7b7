/** ln(n!) for n = 0..max, by summing logarithms (exact enough for the counts of a history). */
function logFactorials(max: number): Float64Array {
  const table = new Float64Array(max + 1);
  for (let n = 2; n <= max; n += 1) table[n] = (table[n - 1] ?? 0) + Math.log(n);
  return table;
}

/**
 * Two-sided Fisher exact test of a 2×2 table [[a, b], [c, d]]: the probability, with the margins
 * fixed, of a table at most as likely as this one (the sum over the hypergeometric
 * distribution, with a relative tolerance of 1e-7 for ties). 1 when a margin is empty.
 *
 * @example fisherExact(3, 1, 1, 3) ≈ 0.4857
 */
export function fisherExact(a: number, b: number, c: number, d: number): number {
  const row1 = a + b;
  const row2 = c + d;
  const col1 = a + c;
  const n = row1 + row2;
  if (row1 === 0 || row2 === 0 || col1 === 0 || col1 === n) return 1;
  const lf = logFactorials(n);
  const f = (k: number) => lf[k] ?? 0;
  const fixed = f(row1) + f(row2) + f(col1) + f(n - col1) - f(n);
  const logP = (x: number) => fixed - f(x) - f(row1 - x) - f(col1 - x) - f(row2 - col1 + x);
  const observed = logP(a);
  let p = 0;
  for (let x = Math.max(0, col1 - row2); x <= Math.min(row1, col1); x += 1) {
    const lp = logP(x);
    if (lp <= observed + 1e-7) p += Math.exp(lp);
  }
  return Math.min(1, p);
}
