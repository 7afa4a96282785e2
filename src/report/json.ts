// JSON renderer: the versioned schema object, pretty-printed, newline-terminated.

/** Render any schema object (`authdoctor.diagnosis/v1`...) as stable, indented JSON. */
export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
