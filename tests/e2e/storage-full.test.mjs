// A phone that runs out of space: the save that does not fit is refused with plain words and the
// count of changes still waiting, what was typed stays in the form, and once space is freed it
// saves. The browser's quota for the app is made small before the app first opens (a few
// megabytes, room for the app and its data), and a second database fills what is left, so the
// app's own write meets a real QuotaExceededError.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, baseUrl, PHONE, screenshot, newApplicant, signIn, visit } from "./browser.mjs";
import { OPEN_COHORT } from "./api.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Fills the origin's storage with incompressible data until even a small write does not fit. */
async function fillStorage(page) {
  return page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open("filler", 1);
      request.onupgradeneeded = () => request.result.createObjectStore("blocks");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const put = (key, size) => new Promise((resolve) => {
      const block = new Uint8Array(size);
      for (let at = 0; at < size; at += 65536) crypto.getRandomValues(block.subarray(at, Math.min(size, at + 65536)));
      const tx = db.transaction("blocks", "readwrite");
      tx.objectStore("blocks").put(block, key);
      tx.oncomplete = () => resolve(true);
      tx.onabort = () => resolve(false);
    });
    let key = 0;
    for (let size = 256 * 1024; size >= 256; size /= 2) {
      for (let tries = 0; tries < 64 && (await put(key, size)); tries += 1) key += 1;
    }
    db.close();
    return key;
  });
}

test("a full phone says so with what is still waiting, keeps what was typed, and saves once space is freed", async () => {
  const { context, page } = await openPage(browser, PHONE);
  // Set before any storage of the app is open: the browser reads an origin's quota when it first
  // opens its storage.
  const cdp = await context.newCDPSession(page);
  const origin = new URL(baseUrl).origin;
  await cdp.send("Storage.overrideQuotaForOrigin", { origin, quotaSize: 8 * 1024 * 1024 });
  await signIn(page, newApplicant().email);
  await visit(page, `${baseUrl}/apply/new?cohort=${OPEN_COHORT}`);
  await page.getByText("You have completed 0 of 8 sections.").waitFor();
  await page.getByText(/^All changes sent\./).waitFor({ timeout: 20000 });
  await context.setOffline(true);
  await page.getByRole("link", { name: "About you" }).click();
  await page.getByLabel("Full name").fill("Amara Okafor");
  await page.getByRole("status").filter({ hasText: /^Saved on this device$/ }).waitFor();

  assert.ok((await fillStorage(page)) > 0, "the filler took the space that was left");

  await page.getByLabel("Job title").fill("Social prescribing link worker");
  await page.getByLabel("Job title").blur();
  await page.getByText(
    "This device is out of storage space, so your last change was not saved; it is still in the form. " +
    "1 saved change is waiting to be sent; free some space, then try again.",
  ).waitFor();
  assert.equal(await page.getByLabel("Job title").inputValue(), "Social prescribing link worker");
  await screenshot(page, "storage-full-phone");

  // Space is freed (the other database goes): the next try saves what is in the form.
  await page.evaluate(() => new Promise((resolve) => { indexedDB.deleteDatabase("filler").onsuccess = resolve; }));
  await page.getByLabel("Job title").fill("Social prescribing link worker.");
  await page.getByLabel("Job title").blur();
  await page.getByRole("status").filter({ hasText: /^Saved on this device$/ }).waitFor();
  await page.reload();
  await page.getByLabel("Job title").waitFor();
  assert.equal(await page.getByLabel("Full name").inputValue(), "Amara Okafor");
  assert.equal(await page.getByLabel("Job title").inputValue(), "Social prescribing link worker.");
  await context.close();
});

test("a save the device's storage does not answer says so, keeps what was typed, and completes once it answers", async () => {
  const { context, page } = await openPage(browser, PHONE);
  await signIn(page, newApplicant().email);
  await visit(page, `${baseUrl}/apply/new?cohort=${OPEN_COHORT}`);
  await page.getByText("You have completed 0 of 8 sections.").waitFor();
  await page.getByRole("link", { name: "About you" }).click();
  await page.getByLabel("Full name").fill("Amara Okafor");
  await page.getByRole("status").filter({ hasText: /^Saved on this device$/ }).waitFor();

  // Storage stops answering: another connection holds the app's records in a transaction that
  // keeps itself alive until the test lets it go, so the app's next writes wait behind it.
  const { me } = await page.evaluate(() => JSON.parse(localStorage.getItem("spip.session")));
  await page.evaluate((name) => new Promise((holding) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => {
      const db = request.result;
      const tx = db.transaction("records", "readwrite");
      let released = false;
      window.releaseStorage = () => new Promise((done) => { released = true; tx.oncomplete = () => { db.close(); done(); }; });
      const again = () => { if (!released) tx.objectStore("records").count().onsuccess = again; };
      again();
      holding();
    };
  }), `spip-${me.id}`);

  await page.getByLabel("Job title").fill("Link worker");
  await page.getByLabel("Job title").blur();
  const slow = "Still saving: this device's storage has not answered yet. What you typed is still in the form; keep this page open.";
  await page.getByText(slow).waitFor({ timeout: 15000 });
  // More typing meanwhile waits behind the first write, and is kept too.
  await page.getByLabel("Job title").fill("Link worker, Hackney");
  await page.waitForTimeout(400);
  await page.getByLabel("Job title").blur();
  assert.equal(await page.getByLabel("Job title").inputValue(), "Link worker, Hackney");

  await page.evaluate(() => window.releaseStorage());
  await page.getByRole("status").filter({ hasText: /^Saved on this device$/ }).waitFor();
  await page.waitForTimeout(500);
  assert.equal(await page.getByText(slow).count(), 0, "the notice does not outlive the writes");
  await page.reload();
  await page.getByLabel("Job title").waitFor();
  assert.equal(await page.getByLabel("Job title").inputValue(), "Link worker, Hackney");
  await context.close();
});
