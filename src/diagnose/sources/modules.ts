// Lazy loading of the evidence modules (credentials, trail, live). A module missing from a build becomes an
// Unknown, never a crash; heavy modules (AWS SDK for --live) load only when used.

/** Import a module by specifier, or return the reason it could not be loaded. */
export async function loadModule<T>(
  specifier: string,
): Promise<{ ok: true; mod: T } | { ok: false; reason: string }> {
  try {
    return { ok: true, mod: (await import(specifier)) as T };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ERR_MODULE_NOT_FOUND") return { ok: false, reason: "not available in this build" };
    return { ok: false, reason: ((err as Error).message ?? String(err)).split("\n")[0]! };
  }
}
