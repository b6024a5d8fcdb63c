// Syncing around a lost signal. When the signal comes back while a push is failing for want of
// it, the app sends again at once, instead of waiting out the pause it keeps between failed tries
// (2 s, 4 s … up to a minute). With no signal, it does not try at all, so changes made meanwhile
// still fold into the ones waiting. A push that is never answered is given up after two minutes.
// On the same held clock: words typed without a pause are written 0.3 s after the first of them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, baseUrl, PHONE, newApplicant, signIn, visit } from "./browser.mjs";
import { OPEN_COHORT, pullAll } from "./api.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// A new applicant's first section, open and synced, on a page whose timers run on a clock the
// test controls. Returns the applicant's session token.
async function newApplicationOnFakeClock(page) {
  await page.clock.install();
  await signIn(page, newApplicant().email);
  await visit(page, `${baseUrl}/apply/new?cohort=${OPEN_COHORT}`);
  await page.getByText("You have completed 0 of 8 sections.").waitFor();
  await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem("spip.session")).token);
  await page.getByRole("link", { name: "About you" }).click();
  return token;
}

// The status line says everything is sent, and the server holds the applicant's `name`.
async function allSent(page, token, name) {
  await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor({ timeout: 10000 });
  const application = (await pullAll(token)).find((record) => record.kind === "application");
  assert.equal(application.data.full_name, name);
}

test("the network coming back while a push fails sends the change at once", async () => {
  const { context, page } = await openPage(browser, PHONE);
  // The page's clock is held still once the page is ready: the pause before a retry never ends
  // by itself, so only an immediate try can send the change.
  const token = await newApplicationOnFakeClock(page);
  await page.clock.pauseAt(await page.evaluate(() => Date.now() + 100));

  // The next push leaves just as the signal drops, and is held on its way.
  let held;
  let leaving;
  const left = new Promise((resolve) => { leaving = resolve; });
  await context.route("**/api/sync/push", (route) => {
    if (held) return route.continue();
    held = route;
    leaving();
  });
  await page.getByLabel("Full name").fill("Sent on reconnecting");
  await page.getByLabel("Full name").blur();
  await page.getByText("Saved on this device").first().waitFor();
  await page.clock.runFor(1000); // a second after the save, the app syncs
  await left;

  // The signal returns while that push is still on its way, then the push fails.
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await held.abort("internetdisconnected");

  await allSent(page, token, "Sent on reconnecting");
  await context.close();
});

test("with no signal, an answer changed again and again is one change to send", async () => {
  const { context, page } = await openPage(browser, PHONE);
  const token = await newApplicationOnFakeClock(page);

  await context.setOffline(true);
  for (const name of ["Amara", "Amara O", "Amara Okafor"]) {
    await page.getByLabel("Full name").fill(name);
    await page.getByLabel("Full name").blur();
    await page.getByText("Saved on this device").first().waitFor();
    await page.clock.runFor(5000); // the app would sync a second after each save, if it could
  }
  await page.getByRole("status").filter({ hasText: "1 change to send when you are back online" }).waitFor();

  await context.setOffline(false);
  await allSent(page, token, "Amara Okafor");
  await context.close();
});

test("a push the server never answers ends as offline after two minutes, and goes again later", async () => {
  const { context, page } = await openPage(browser, PHONE);
  const token = await newApplicationOnFakeClock(page);
  await page.clock.pauseAt(await page.evaluate(() => Date.now() + 100));

  // The first push goes out on a connection that never answers (a laptop that slept mid-push).
  let stalled = false;
  let reached;
  const pushReached = new Promise((resolve) => { reached = resolve; });
  await context.route("**/api/sync/push", (route) => {
    if (stalled) return route.continue();
    stalled = true; // and this one is left unanswered
    reached();
  });
  await page.getByLabel("Full name").fill("Sent after a stall");
  await page.getByLabel("Full name").blur();
  await page.getByText("Saved on this device").first().waitFor();
  await page.clock.runFor(1000);
  // The clock moves on only once the push is out: the round reads the device first, in real
  // time, and the two minutes start when the request is sent.
  await pushReached;
  await page.getByRole("status").filter({ hasText: "Sending and receiving changes" }).waitFor();

  await page.clock.runFor(121_000);
  await page.getByRole("status").filter({ hasText: "You are offline. Your work is kept on this device" }).waitFor();
  await page.clock.runFor(2000); // the first wait before trying again
  await allSent(page, token, "Sent after a stall");
  await context.close();
});

test("words typed without a pause are saved on the device as the typing goes on, not only once it stops", async () => {
  const { context, page } = await openPage(browser, PHONE);
  await newApplicationOnFakeClock(page);
  await page.clock.pauseAt(await page.evaluate(() => Date.now() + 100));
  const box = page.getByLabel("Full name");
  // A letter every tenth of a second, never a pause: 0.3 s after the first, what is typed is
  // written, while the person goes on typing.
  for (const letter of "Ama") {
    await box.pressSequentially(letter);
    await page.clock.runFor(100);
  }
  await page.getByText("Saved on this device").first().waitFor({ timeout: 5000 });
  assert.equal(await page.evaluate(() => document.activeElement?.id), "full_name", "still typing");
  await context.close();
});
