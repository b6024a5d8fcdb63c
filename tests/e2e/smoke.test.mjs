// The first journey: the home page renders from wasm, and the API answers on the same origin.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, PHONE, LAPTOP, accessibilityViolations, screenshot, visit } from "./browser.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const [name, viewport] of [["phone", PHONE], ["laptop", LAPTOP]]) {
  test(`the home page renders from wasm and says until when applications are open (${name})`, async () => {
    const { context, page } = await openPage(browser, viewport);
    await visit(page);
    // index.html has no heading of its own: this one exists only once the wasm app has run.
    const heading = page.getByRole("heading", { level: 1, name: "Social Prescribing Innovators Programme" });
    await heading.waitFor();
    // Asked of the Worker, through the app's own origin: the demo's open cohort (with any
    // others the journeys opened before this one).
    await page.getByText(/Applications for the \d{4}\/\d{2} cohort are open until 11:59pm on \d{1,2} [A-Z][a-z]+ \d{4}\./).waitFor();
    await screenshot(page, `home-${name}`);
    assert.deepEqual(page.consoleErrors, []);
    await context.close();
  });
}

test("a visitor follows the home page to the published learning reports and reads the pilot's", async () => {
  const { context, page } = await openPage(browser);
  await visit(page);
  await page.getByRole("link", { name: "Read what the programme's projects learnt" }).click();
  const pilot = page.locator("section").filter({ has: page.getByRole("heading", { level: 2, name: "2022/23 pilot" }) });
  await pilot.getByRole("heading", { level: 3, name: "Carers' coffee mornings in Turkish" }).waitFor();
  await pilot.getByText("Carers came for each other, not for a service", { exact: false }).waitFor();
  assert.deepEqual(page.consoleErrors, []);
  await context.close();
});

test("each page names itself in the browser tab, and a followed link takes the focus to the new page's heading", async () => {
  const { context, page } = await openPage(browser);
  await visit(page);
  const heading = page.getByRole("heading", { level: 1 });
  const focusedHeading = () => page.evaluate(() => document.activeElement?.tagName === "H1" ? document.activeElement.textContent : null);
  await page.waitForFunction(() => document.title === "Social Prescribing Innovators Programme – SPIP Innovators");
  // The page the app opens on keeps the browser's own start: nothing is focused for it.
  assert.equal(await focusedHeading(), null);
  await page.getByRole("link", { name: "Read what the programme's projects learnt" }).click();
  await page.waitForFunction(() => document.title === "Learning reports – SPIP Innovators");
  assert.equal(await heading.textContent(), "Learning reports");
  // A screen reader starts reading the new page at its heading, not wherever the link was.
  await page.waitForFunction(() => document.activeElement?.tagName === "H1");
  assert.equal(await focusedHeading(), "Learning reports");
  await page.goBack();
  await page.waitForFunction(() => document.title === "Social Prescribing Innovators Programme – SPIP Innovators");
  await page.waitForFunction(() => document.activeElement?.textContent === "Social Prescribing Innovators Programme");
  // A page in error says so first, as its tab is the first thing read out.
  await page.getByRole("link", { name: "Sign in" }).click();
  await page.waitForFunction(() => document.title === "Sign in – SPIP Innovators");
  await page.getByLabel("Email address").fill("not an address");
  await page.getByRole("button", { name: "Send me a code" }).click();
  await page.waitForFunction(() => document.title === "Error: Sign in – SPIP Innovators");
  // The focus goes to the error summary, and stays there.
  await page.waitForFunction(() => document.activeElement?.classList.contains("nhsuk-error-summary"));
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains("nhsuk-error-summary")), true);
  assert.deepEqual(page.consoleErrors, []);
  await context.close();
});

test("the health check answers through the app's own origin", async () => {
  const { context, page } = await openPage(browser);
  await visit(page);
  const health = await page.evaluate(async () => {
    const response = await fetch("/api/health");
    return { status: response.status, body: await response.json() };
  });
  assert.equal(health.status, 200);
  assert.equal(health.body.status, "ok");
  await context.close();
});

test("the home page has no accessibility violations", async () => {
  const { context, page } = await openPage(browser);
  await visit(page);
  await page.getByRole("heading", { level: 1 }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await context.close();
});
