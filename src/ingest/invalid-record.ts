/** A record of a file that failed validation: where it is and every problem found in it. */
export interface InvalidRecord {
  readonly file: string;
  readonly line: number;
  readonly id: string | undefined;
  readonly problems: readonly string[];
}

/** How many invalid records are kept for a report; the rest are only counted. */
export const MAX_REPORTED_INVALID = 50;

/** One `file:line: problem` line per problem, as the CLI prints them. */
export function describeInvalid(record: InvalidRecord): string[] {
  return record.problems.map((problem) => `${record.file}:${record.line}: ${problem}`);
}
