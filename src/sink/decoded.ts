/** What decoding a `pipeline_out` record gives, in either format: a row for a table, or why not. */
export type Row = Record<string, string | number | null>;

export type Decoded = { ok: true; table: string; row: Row } | { ok: false; error: string };
