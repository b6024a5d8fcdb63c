// A page of the app left open while a newer version, in another tab, upgrades the device's
// storage: the old page can no longer open it. It says so, keeps what was typed in the form, and
// hands the syncing to a tab that can.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, baseUrl, PHONE, newApplicant, signIn, screenshot, visit } from "./browser.mjs";
import { OPEN_COHORT } from "./api.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("a page left open when a newer version upgraded the device's storage says to reload, keeps the words, and lets go of syncing", async () => {
  const { context, page } = await openPage(browser, PHONE);
  await signIn(page, newApplicant().email);
  await visit(page, `${baseUrl}/apply/new?cohort=${OPEN_COHORT}`);
  await page.getByText("You have completed 0 of 8 sections.").waitFor();
  await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
  await page.getByRole("link", { name: "About you" }).click();
  const person = await page.evaluate(() => JSON.parse(localStorage.getItem("spip.session")).me.id);
  const lockHeld = () => page.evaluate(async (name) => (await navigator.locks.query()).held.some((lock) => lock.name === name), `spip-sync:${person}`);
  assert.ok(await lockHeld(), "this page syncs for the person");

  // A newer version of the app, in another tab, upgrades the database (done here from this page,
  // as that tab would).
  await page.evaluate(async (name) => {
    const current = (await indexedDB.databases()).find((db) => db.name === name).version;
    await new Promise((resolve, reject) => {
      const request = indexedDB.open(name, current + 1);
      request.onsuccess = () => { request.result.close(); resolve(); };
      request.onerror = () => reject(request.error);
    });
  }, `spip-${person}`);

  await page.getByLabel("Full name").fill("Words typed in the old page");
  await page.getByLabel("Full name").blur();
  const notice = page.locator(".spip-save-notice").filter({ hasText: "was updated in another tab or window" });
  await notice.waitFor();
  assert.match(await notice.innerText(), /Copy anything you typed here/);
  assert.equal(await page.getByLabel("Full name").inputValue(), "Words typed in the old page", "the words stay in the form");

  // Its next sync round cannot open the storage either: it lets go of the lead.
  await context.setOffline(true);
  await context.setOffline(false);
  for (let tries = 0; tries < 40 && (await lockHeld()); tries += 1) await page.waitForTimeout(250);
  assert.equal(await lockHeld(), false, "another tab can take over syncing");
  const status = page.locator(".spip-sync-status");
  await status.filter({ hasText: "was updated in another tab or window" }).waitFor();
  assert.equal(await status.getByRole("button", { name: "Sync now" }).count(), 0, "nothing to offer that this page could do");
  // Without signal it still says that this page cannot save, not that work is saved here.
  await context.setOffline(true);
  await page.waitForFunction(() => !navigator.onLine);
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
  assert.match(await status.innerText(), /was updated in another tab or window/);
  await screenshot(page, "outdated-page");
  await context.close();
});
