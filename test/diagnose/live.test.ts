// --live wiring: probes run only when asked, their signals enter the ranking, the audit is handed back, and a
// denied probe is evidence, not a crash. Against the live tests' fake AWS endpoint on 127.0.0.1.
import { join, resolve } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadBundle } from "../../src/diagnose/bundle.js";
import { resolveInputs } from "../../src/diagnose/inputs.js";
import { diagnose } from "../../src/diagnose/run.js";
import { renderAudit } from "../../src/report/live.js";
import { FAKE, FakeAws, json, queryError, queryOk, restError, xml } from "../live/fake-aws.js";

const root = resolve(import.meta.dirname, "../..");
const ACCOUNT = "739105428816";
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/ops-admin/kaito@${ACCOUNT}`;
const gci = xml(
  queryOk(
    "GetCallerIdentity",
    `<Arn>${SESSION}</Arn><UserId>AROA2YFQ52VIBZ4HN6MKD:kaito</UserId><Account>${ACCOUNT}</Account>`,
    "https://sts.amazonaws.com/doc/2011-06-15/",
  ),
);
const summary = xml(
  queryOk(
    "GetAccountSummary",
    "<SummaryMap><entry><key>GlobalEndpointTokenVersion</key><value>1</value></entry></SummaryMap>",
  ),
);

const fake = new FakeAws();
let endpoint = "";
beforeAll(async () => {
  endpoint = await fake.start();
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.reset();
});

async function run(live: boolean) {
  const b = await loadBundle(join(root, "examples/opt-in-region-authfailure"));
  const input = resolveInputs({ live }, b, {});
  const audits: string[] = [];
  const d = await diagnose(input, {
    onAudit: (a) => audits.push(renderAudit({ audit: a })),
    liveOptions: {
      endpointOverride: endpoint,
      credentials: async () => ({
        accessKeyId: FAKE.accessKeyId,
        secretAccessKey: FAKE.secretAccessKey,
        sessionToken: FAKE.sessionToken,
      }),
      timeoutMs: 1000,
      env: { AWS_REGION: "us-east-1" },
      probes: ["identity", "account-summary", "region"],
    },
  });
  return { d, audits };
}

describe("diagnose --live", () => {
  it("without --live no request reaches AWS", async () => {
    const { d, audits } = await run(false);
    expect(fake.seen).toEqual([]);
    expect(audits).toEqual([]);
    expect(d.checked?.find((c) => c.source === "live")?.status).toBe("not-given");
  });

  it("the account's v1 token version confirms the opt-in region verdict; the audit is handed back", async () => {
    fake
      .on("sts:GetCallerIdentity", gci)
      .on("iam:GetAccountSummary", summary)
      .on(
        "account:GetRegionOptStatus",
        json({ RegionName: "ap-east-1", RegionOptStatus: "ENABLED" }, "application/json"),
      );
    const { d, audits } = await run(true);
    expect(fake.seen.length).toBeGreaterThan(0);
    expect(d.verdict?.cause).toBe("STS_TOKEN_VERSION_REGION");
    expect(d.verdict?.strength).toBe("confirmed");
    expect(d.checked?.find((c) => c.source === "live")?.status).toBe("used");
    expect(audits.join("\n")).toContain("GetAccountSummary");
    expect(JSON.stringify(d)).not.toContain(FAKE.secretAccessKey);
  });

  it("a denied probe is evidence the diagnosis goes on without", async () => {
    fake
      .on("sts:GetCallerIdentity", gci)
      .on(
        "iam:GetAccountSummary",
        queryError(
          403,
          "AccessDenied",
          `User: ${SESSION} is not authorized to perform: iam:GetAccountSummary`,
        ),
      )
      .on("account:GetRegionOptStatus", restError(403, "AccessDeniedException", "not authorized"));
    const { d } = await run(true);
    expect(d.verdict?.cause).toBe("STS_TOKEN_VERSION_REGION");
    expect(d.verdict?.strength).not.toBe("confirmed");
    expect(
      d.unknowns.some((u) => u.what.startsWith("live:") && /GetAccountSummary/.test(`${u.why} ${u.needs}`)),
    ).toBe(true);
  });
});
