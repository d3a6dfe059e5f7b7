/**
 * A union's members as a run-time list that the compiler holds to the union: a list that
 * misses a member or names another fails to compile. The core reads the wire contract's
 * unions as types only (no schema library at run time) and lists them with this.
 *
 * @example export const OUTCOMES = allMembers<Outcome>()(["succeeded", …, "in_progress"]);
 */
export function allMembers<T extends string>() {
  return <const L extends readonly T[]>(
    list: L &
      ([Exclude<T, L[number]>] extends [never] ? unknown : { missing: Exclude<T, L[number]> }),
  ): L => list;
}
