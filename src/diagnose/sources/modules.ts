// Lazy loading of the evidence modules (credentials, trail, live). A module missing from a build becomes an
// Unknown, never a crash; heavy modules (AWS SDK for --live) load only when used.

/**
 * Run `load` (a typed `() => import("...")`), or return the reason the module could not be loaded. The caller
 * names the part of the module it uses as `T`; the compiler checks the module provides it.
 */
export async function loadModule<T>(
  load: () => Promise<T>,
): Promise<{ ok: true; mod: T } | { ok: false; reason: string }> {
  try {
    return { ok: true, mod: await load() };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ERR_MODULE_NOT_FOUND") return { ok: false, reason: "not available in this build" };
    return { ok: false, reason: ((err as Error).message ?? String(err)).split("\n")[0]! };
  }
}
