/** One record as read from an input file, before validation. `line` is 1-based, the line where the record starts. */
export type RawRecord =
  | { readonly kind: "record"; readonly line: number; readonly value: unknown }
  | { readonly kind: "error"; readonly line: number; readonly message: string };
export type InputFormat = "ndjson" | "json" | "csv";
