// A page of the app left open while a newer version, in another tab, upgrades the device's
// storage: the old page can no longer open it. It says so, keeps what was typed in the form, and
// hands the syncing to a tab that can. And a record a newer version gave a field this one does
// not know: it is read past, not read as nothing.
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

test("an answer a newer version added to a record leaves this version showing the rest, and typing on keeps it", async () => {
  const { context, page } = await openPage(browser, PHONE);
  await signIn(page, newApplicant().email);
  await visit(page, `${baseUrl}/apply/new?cohort=${OPEN_COHORT}`);
  await page.getByText("You have completed 0 of 8 sections.").waitFor();
  await page.getByRole("link", { name: "About you" }).click();
  await page.getByLabel("Full name").fill("Ada Mensah");
  await page.getByLabel("Full name").blur();
  await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
  const aboutYou = page.url();

  // A newer version of the app, on another device, gave the application an answer this version
  // has no question for; it arrives with the next pull (written here as the pull would).
  const stored = (fields) => page.evaluate(async (newer) => {
    const { me } = JSON.parse(localStorage.getItem("spip.session"));
    const done = (request) => new Promise((resolve, reject) => { request.onsuccess = () => resolve(request.result); request.onerror = () => reject(request.error); });
    const db = await done(indexedDB.open(`spip-${me.id}`));
    const tx = db.transaction("records", "readwrite");
    const application = (await done(tx.objectStore("records").getAll())).find((record) => record.kind === "application");
    if (newer) {
      Object.assign(application.data, newer);
      await done(tx.objectStore("records").put(application));
    }
    db.close();
    return application.data;
  }, fields);
  await stored({ preferred_pronouns: "she/her" });

  // The open call still knows the application (read as nothing, it had no cohort, and the card
  // offered a second one).
  await visit(page, `${baseUrl}/apply`);
  const card = page.locator(".nhsuk-card").filter({ has: page.getByRole("heading", { name: "2027/28 cohort" }) });
  await card.getByText("You have started an application. It is saved on this device.").waitFor();
  await card.getByRole("link", { name: "Continue your application for the 2027/28 cohort" }).click();
  await page.getByText("You have completed 0 of 8 sections.").waitFor();
  await visit(page, aboutYou);
  assert.equal(await page.getByLabel("Full name").inputValue(), "Ada Mensah");
  // Offline, so what the device keeps is seen before any pull (the server here is this
  // version's, which never had the newer answer).
  await context.setOffline(true);
  await page.getByLabel("Job title").fill("Link worker");
  await page.getByLabel("Job title").blur();
  await page.getByRole("status").filter({ hasText: /^Saved on this device$/ }).waitFor();
  const data = await stored(null);
  assert.equal(data.job_title, "Link worker");
  assert.equal(data.preferred_pronouns, "she/her", "the newer answer is kept on this device");
  await context.close();
});
