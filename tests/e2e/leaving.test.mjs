// Leaving a page in the moment after typing: words not yet written to the device's database
// (they are held up to 0.3 s) are kept in a copy as they are typed, so a reload writes them on
// the next page, and a closed tab's are written by the person's tab still open. The page's clock
// is held still, and its database held by a write that never ends, so the words are never written
// in the page they were typed in.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, baseUrl, PHONE, newApplicant, signIn, visit } from "./browser.mjs";
import { OPEN_COHORT, openConflicts, pullAll } from "./api.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// A new applicant's "About you" section, on a page whose clock is held still once it is ready.
// Returns the applicant's session token.
async function aboutYouOnHeldClock(page) {
  await page.clock.install();
  await signIn(page, newApplicant().email);
  await visit(page, `${baseUrl}/apply/new?cohort=${OPEN_COHORT}`);
  await page.getByText("You have completed 0 of 8 sections.").waitFor();
  await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
  await page.getByRole("link", { name: "About you" }).click();
  await page.getByLabel("Full name").waitFor();
  await page.clock.pauseAt(await page.evaluate(() => Date.now() + 100));
  return page.evaluate(() => JSON.parse(localStorage.getItem("spip.session")).token);
}

// Holds the person's database in `page` with a write that never ends, so nothing the page writes
// afterwards can commit before it goes (a page going often has time to write held words itself:
// the copy must be what saves them).
async function holdDatabase(page) {
  await page.evaluate(() => new Promise((resolve, reject) => {
    const me = JSON.parse(localStorage.getItem("spip.session")).me.id;
    const opening = indexedDB.open(`spip-${me}`);
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
      const db = opening.result;
      const names = [...db.objectStoreNames];
      const store = db.transaction(names, "readwrite").objectStore(names[0]);
      const spin = () => { store.count().onsuccess = spin; };
      spin();
      resolve();
    };
  }));
}

// The page keeps a copy of `words` in `localStorage`, as they were not yet written.
async function copyKept(page, words) {
  await page.waitForFunction((words) => Object.keys(localStorage).some(
    (key) => key.startsWith("spip.unwritten.") && localStorage.getItem(key).includes(words),
  ), words);
}

// The box for the full name comes to show `name` (written by this page, or by the page that
// went, when it had time).
async function boxShows(page, name) {
  await page.waitForFunction((name) => document.getElementById("full_name")?.value === name, name);
}

// The server holds `name` as the applicant's full name, with no difference to settle.
async function onServer(token, name) {
  const application = (await pullAll(token)).find((record) => record.kind === "application");
  assert.equal(application.data.full_name, name);
  assert.deepEqual(await openConflicts(token), [], "no difference: the words were written once, as typed");
}

test("words typed just before the page is reloaded are there after it, and are sent", async () => {
  const { context, page } = await openPage(browser, PHONE);
  const token = await aboutYouOnHeldClock(page);
  await holdDatabase(page);
  await page.getByLabel("Full name").fill("Typed as the page reloaded");
  await copyKept(page, "Typed as the page reloaded");
  await page.reload();
  await page.clock.resume();

  await boxShows(page, "Typed as the page reloaded");
  await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
  await onServer(token, "Typed as the page reloaded");
  // Words written in the usual way later are not written over by the copy once it was used.
  await page.getByLabel("Full name").fill("Corrected later");
  await page.getByLabel("Full name").blur();
  await page.getByText("Saved on this device").first().waitFor();
  await page.reload();
  await page.getByLabel("Full name").waitFor();
  await page.waitForTimeout(1000);
  assert.equal(await page.getByLabel("Full name").inputValue(), "Corrected later");
  await context.close();
});

test("words typed just before a tab is closed are written by the person's tab still open", async () => {
  const { context, page: closing } = await openPage(browser, PHONE);
  const token = await aboutYouOnHeldClock(closing);
  const open = await context.newPage();
  await visit(open, closing.url());
  const box = open.getByLabel("Full name");
  await box.waitFor();
  assert.equal(await box.inputValue(), "");

  await holdDatabase(closing);
  await closing.getByLabel("Full name").fill("Typed as the tab closed");
  await copyKept(closing, "Typed as the tab closed");
  await closing.close();
  await boxShows(open, "Typed as the tab closed");
  await open.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
  await onServer(token, "Typed as the tab closed");
  await context.close();
});
