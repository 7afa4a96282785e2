import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const liveDir = join(repoRoot, "src/live");

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

describe("src/live loads the AWS SDK lazily", () => {
  it("has no value import of an SDK package: only `import type` and dynamic `import()`", () => {
    const offenders: string[] = [];
    for (const file of files(liveDir)) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+"(@aws-sdk\/[^"]+|@smithy\/[^"]+)"/gms))
        offenders.push(`${relative(repoRoot, file)}: ${m[1]}`);
    }
    expect(offenders).toEqual([]);
  });

  it("loads every SDK client through one dynamic import table", () => {
    const clients = readFileSync(join(liveDir, "clients.ts"), "utf8");
    for (const pkg of ["sts", "iam", "account", "ec2", "cloudtrail", "cognito-identity", "appsync"])
      expect(clients).toContain(`import("@aws-sdk/client-${pkg}")`);
  });
});
