// Signing in with a one-time code, then seeing what synced to this device.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, baseUrl, PHONE, LAPTOP, accessibilityViolations, screenshot } from "./browser.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Signs in through the pages, reading the code that the test Worker returns (dev switch). */
async function signIn(page, email) {
  await page.goto(baseUrl);
  await page.getByRole("link", { name: "Sign in" }).click();
  await page.getByLabel("Email address").fill(email);
  const codeSent = page.waitForResponse((response) => response.url().endsWith("/api/auth/code"));
  await page.getByRole("button", { name: "Send me a code" }).click();
  const { dev_code: code } = await (await codeSent).json();
  await page.getByLabel(/Enter the code we sent to/).fill(code);
  await page.getByRole("button", { name: "Sign in" }).click();
}

for (const [name, viewport] of [["phone", PHONE], ["laptop", LAPTOP]]) {
  test(`the programme team signs in and sees the cohort synced to the device (${name})`, async () => {
    const { context, page } = await openPage(browser, viewport);
    await signIn(page, "team@example.org");
    await page.getByText("Signed in as Grace Mensah (Programme team).").waitFor();
    await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
    await page.getByRole("listitem").filter({ hasText: /cohort$/ }).first().waitFor();
    await screenshot(page, `signed-in-${name}`);
    assert.deepEqual(page.consoleErrors, []);
    await context.close();
  });
}

test("a mistyped address is explained before anything is sent", async () => {
  const { context, page } = await openPage(browser);
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel("Email address").fill("not an address");
  await page.getByRole("button", { name: "Send me a code" }).click();
  await page.getByRole("alert").filter({ hasText: "Enter an email address in the correct format" }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await context.close();
});

test("going offline says the work is kept on the device, and the session survives a reload", async () => {
  const { context, page } = await openPage(browser);
  await signIn(page, "team@example.org");
  await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
  await context.setOffline(true);
  await page.getByRole("status").filter({ hasText: "Offline. Your work is saved on this device." }).waitFor();
  await context.setOffline(false);
  await page.reload();
  await page.getByText("Signed in as Grace Mensah (Programme team).").waitFor();
  await context.close();
});

test("the app opens with no network at all, still signed in, and says it is offline", async () => {
  const { context, page } = await openPage(browser);
  await signIn(page, "team@example.org");
  await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
  await page.evaluate(() => navigator.serviceWorker.ready);
  await context.setOffline(true);
  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Social Prescribing Innovators Programme" }).waitFor();
  await page.getByText("Signed in as Grace Mensah (Programme team).").waitFor();
  await page.getByRole("status").filter({ hasText: "Offline. Your work is saved on this device." }).waitFor();
  await page.getByRole("listitem").filter({ hasText: /cohort$/ }).first().waitFor();
  await screenshot(page, "offline-phone");
  await context.close();
});

test("everything on the device can be downloaded as a file", async () => {
  const { context, page } = await openPage(browser);
  await signIn(page, "team@example.org");
  await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download my data" }).click();
  const file = await downloading;
  assert.equal(file.suggestedFilename(), "spip-my-data.json");
  const { readFile } = await import("node:fs/promises");
  const data = JSON.parse(await readFile(await file.path(), "utf8"));
  assert.ok(data.records.some((record) => record.kind === "cohort"), "the synced cohort is in the file");
  assert.deepEqual(data.unsent, []);
  await context.close();
});
