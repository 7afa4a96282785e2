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
}

/** A reader for one family of inputs. Must not throw for any text (the caller still guards it). */
export type FormatReader = (text: string) => Hit[];

/** Start a draft. */
export function draft(format: Failure["format"], fields: Partial<Draft> = {}): Draft {
  return { ...fields, format, notes: fields.notes ?? [] };
}
