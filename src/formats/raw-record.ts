/** One record as read from an input file, before validation. `line` is 1-based, the line where the record starts. */
export type RawRecord =
  | { readonly kind: "record"; readonly line: number; readonly value: unknown }
  | { readonly kind: "error"; readonly line: number; readonly message: string };
/** `document`: the whole file is one JSON object (a single pretty-printed record). */
export type InputFormat = "ndjson" | "json" | "csv" | "document";
