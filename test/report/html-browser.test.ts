// The HTML report in a real browser (Debian's chromium via playwright-core): what a reader sees, and that
// opening it makes no request beyond the file itself. Skipped, saying so, when /usr/bin/chromium is missing.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBundle } from "../../src/diagnose/bundle.js";
import { resolveInputs } from "../../src/diagnose/inputs.js";
import { diagnose } from "../../src/diagnose/run.js";
import { renderHtml } from "../../src/report/html.js";
import { hostileDiagnosis } from "./fixture.js";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  process.stderr.write(`html-browser.test: skipped: ${CHROMIUM} not found (apt-get install chromium)\n`);
}
const root = resolve(import.meta.dirname, "../..");
const tmp = mkdtempSync(join(tmpdir(), "authdoctor-html-"));

type Browser = import("playwright-core").Browser;
type Locator = import("playwright-core").Locator;

/** The text as rendered (hidden text excluded): what a reader of the report sees. */
function seen(l: Locator): Promise<string> {
  return l.innerText();
}
let browser: Browser | undefined;

beforeAll(async () => {
  if (!hasChromium) return;
  const { chromium } = await import("playwright-core");
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Open a report file; collect every request and dialog the page makes. */
async function open(html: string, name: string) {
  const file = join(tmp, name);
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const page = await browser!.newPage();
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  await page.goto(url, { waitUntil: "load" });
  return { page, url, requests, dialogs };
}

describe.skipIf(!hasChromium)("HTML report in chromium", () => {
  it("appsync example: verdict visible, timeline rows, near-miss diff, no request but the file", async () => {
    const d = await diagnose(
      resolveInputs({}, await loadBundle(join(root, "examples/appsync-unauthorized")), {}),
    );
    const { page, url, requests } = await open(renderHtml(d), "appsync.html");
    const verdict = page.locator("#verdict");
    expect(await verdict.isVisible()).toBe(true);
    expect(await seen(verdict)).toContain("IAM_RESOURCE_MISMATCH");
    expect(await seen(verdict)).toMatch(/confirmed/i);

    const rows = page.locator("#timeline .timeline-row");
    expect(await rows.count()).toBeGreaterThanOrEqual(3);
    expect(await seen(page.locator("#timeline"))).toContain("sts:AssumeRoleWithWebIdentity");
    const failureRow = page.locator("#timeline .kind-diagnosed");
    expect(await failureRow.count()).toBe(1);
    expect(await seen(failureRow)).toContain("the failure diagnosed");

    const diff = page.locator("#policy-diff");
    expect(await diff.isVisible()).toBe(true);
    expect(await seen(diff.locator(".add").first())).toContain("apis/r7k2mq4xbzfwdh3nvyt5pelca4");
    const addColour = await page.evaluate(
      "getComputedStyle(document.querySelector('#policy-diff .add')).color",
    );
    expect(addColour).toBe("rgb(23, 102, 58)");

    expect(await page.locator("#evidence li").count()).toBeGreaterThan(2);
    expect(requests).toEqual([url]);
    await page.close();
  });

  it("hostile strings render as text: no script runs, no element fetches", async () => {
    const { page, url, requests, dialogs } = await open(renderHtml(hostileDiagnosis()), "hostile.html");
    expect(dialogs).toEqual([]);
    expect(await page.locator("script, img, iframe, link").count()).toBe(0);
    expect(await seen(page.locator("#verdict"))).toContain('<script>alert("x")</script>');
    expect(await page.locator("#timeline .timeline-row").count()).toBe(3);
    expect(requests).toEqual([url]);
    await page.close();
  });

  it.each([390, 1280])(
    "every example at %i px: no horizontal overflow, the fix within the first screen, details collapsed",
    async (width) => {
      for (const name of [
        "appsync-unauthorized",
        "passrole-missing",
        "opt-in-region-authfailure",
        "rotated-key",
      ]) {
        const d = await diagnose(resolveInputs({}, await loadBundle(join(root, "examples", name)), {}));
        const { page } = await open(renderHtml(d), `${name}-${width}.html`);
        const height = width === 390 ? 844 : 800;
        await page.setViewportSize({ width, height });
        const m = (await page.evaluate(
          `({ sw: document.documentElement.scrollWidth, fix: document.querySelector("#fix").getBoundingClientRect().top, open: document.querySelectorAll("details[open]").length })`,
        )) as { sw: number; fix: number; open: number };
        expect(m.sw, name).toBeLessThanOrEqual(width);
        // the fix starts within the first half of the first screen
        expect(m.fix, name).toBeLessThan(height / 2);
        expect(m.open).toBe(0);
        await page.screenshot({ path: join(tmp, `${name}-${width}.png`) });
        await page.close();
      }
    },
    60_000,
  );
});
