// Internal shapes shared by the format readers and the finishing pass (not part of the public API).

import type { Failure } from "../core/failure.js";

/** A failure under construction: `raw` is filled from the span at the end. */
export type Draft = Omit<Failure, "raw">;

/** One recognised error: where it sits in the (already redacted) input and what was read from it. */
export interface Hit {
  start: number;
  end: number;
  /** Lower wins when two hits overlap; the loser's fields fill the winner's gaps. */
  priority: number;
  draft: Draft;
  /** Hits of one group (records of one JSON document) never merge with each other; others inside them drop. */
  group?: string;
  /** Code a message implies when the text prints none; used only if no overlapping reader found a code. */
  impliedCode?: string;
  /** How many identical hits this one stands for. */
  count?: number;
  /** Excerpt to show instead of the span (a single record out of a larger document). */
  raw?: string;
}

/** A reader for one family of inputs. Must not throw for any text (the caller still guards it). */
export type FormatReader = (text: string) => Hit[];

/** Start a draft. */
export function draft(format: Failure["format"], fields: Partial<Draft> = {}): Draft {
  return { ...fields, format, notes: fields.notes ?? [] };
}
