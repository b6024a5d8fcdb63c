// Two tabs of the app on one device: only one talks to the server, the other's changes go
// through it and both show the same data; when the leading tab closes, the other takes over.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, baseUrl, PHONE, newApplicant, signIn, visit, enterCode } from "./browser.mjs";
import { OPEN_COHORT, pullAll } from "./api.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Counts the pushes a tab sends. */
function countPushes(page) {
  const counter = { pushes: 0 };
  page.on("request", (request) => {
    if (request.url().endsWith("/api/sync/push")) counter.pushes += 1;
  });
  return counter;
}

/** Waits until the server holds `value` in the application's `field`. */
async function serverHas(page, field, value) {
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem("spip.session")).token);
  for (let tries = 0; tries < 60; tries += 1) {
    const application = (await pullAll(token)).find((r) => r.kind === "application");
    if (application?.data[field] === value) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.fail(`the server never received ${field} = ${value}`);
}

test("two tabs: only the leading tab pushes, the other shows its changes, and takes over when it closes", async () => {
  const { context, page: first } = await openPage(browser, PHONE);
  await signIn(first, newApplicant().email);
  await visit(first, `${baseUrl}/apply/new?cohort=${OPEN_COHORT}`);
  await first.getByText("You have completed 0 of 8 sections.").waitFor();
  await first.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
  const applicationUrl = first.url();
  const firstTab = countPushes(first);

  const second = await context.newPage();
  const secondTab = countPushes(second);
  await visit(second, `${applicationUrl}/section/about_you`);
  await second.getByLabel("Full name").fill("Tab Two");
  await second.getByRole("status").filter({ hasText: /^Saved on this device$/ }).waitFor();
  await serverHas(first, "full_name", "Tab Two");
  assert.equal(secondTab.pushes, 0, "the second tab never talks to the server");
  assert.ok(firstTab.pushes >= 1, "the leading tab sent the second tab's change");
  // The first tab re-read the device when told: its task list moved on without a reload.
  await first.getByRole("listitem").filter({ hasText: "About you" }).getByText("In progress").waitFor();

  await first.close();
  await second.getByLabel("Job title").fill("Health and wellbeing coach");
  await serverHas(second, "job_title", "Health and wellbeing coach");
  assert.ok(secondTab.pushes >= 1, "the second tab took over");
  await context.close();
});

test("two tabs left open and idle do not keep asking the server for changes", async () => {
  const { context, page: first } = await openPage(browser, PHONE);
  await signIn(first, newApplicant().email);
  await visit(first, `${baseUrl}/apply/new?cohort=${OPEN_COHORT}`);
  await first.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
  const second = await context.newPage();
  await visit(second, first.url());
  await second.getByRole("status").filter({ hasText: "Another tab of this app keeps them in sync." }).waitFor();
  await first.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();

  // Nothing changes anywhere for three seconds: no tab has a reason to sync (the next look for
  // other people's changes is 45 s away).
  let pulls = 0;
  context.on("request", (request) => {
    if (request.url().includes("/api/sync/pull")) pulls += 1;
  });
  await first.waitForTimeout(3000);
  assert.ok(pulls <= 1, `idle tabs pulled ${pulls} times in three seconds`);
  await context.close();
});

test("signing out in one tab signs the other tab out too, and nothing comes back onto the device", async () => {
  const { context, page: first } = await openPage(browser, PHONE);
  // The leading tab's timers run on a clock the test moves on, past its next look for changes.
  await first.clock.install();
  await signIn(first, newApplicant().email);
  await visit(first, `${baseUrl}/apply/new?cohort=${OPEN_COHORT}`);
  await first.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
  const person = await first.evaluate(() => JSON.parse(localStorage.getItem("spip.session")).me.id);
  const second = await context.newPage();
  await visit(second, first.url());
  await second.getByRole("status").filter({ hasText: "Another tab of this app keeps them in sync." }).waitFor();

  await visit(second, `${baseUrl}/sign-out`);
  await second.getByRole("button", { name: "Sign out" }).click();
  await second.getByRole("link", { name: "Sign in" }).waitFor();
  // The tab left open follows: the application it showed has left the device with the person,
  // and the page offers to sign in again.
  await first.getByRole("heading", { name: "Sign in to see this page" }).waitFor();
  assert.equal(await first.getByRole("status").count(), 0, "no status line: no one is signed in");

  let pulls = 0;
  context.on("request", (request) => {
    if (request.url().includes("/api/sync/")) pulls += 1;
  });
  await first.clock.runFor(60_000);
  await first.waitForTimeout(500);
  assert.equal(pulls, 0, "the tab left open no longer syncs");
  const names = (await first.evaluate(() => indexedDB.databases())).map((d) => d.name);
  assert.ok(!names.includes(`spip-${person}`), "the person's data stays off the device");
  await context.close();
});

test("a sign-in that ended is told in every tab, and signing in again in one mends both", async () => {
  const { context, page: first } = await openPage(browser, PHONE);
  const applicant = newApplicant();
  await signIn(first, applicant.email);
  await visit(first, `${baseUrl}/apply/new?cohort=${OPEN_COHORT}`);
  await first.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
  const second = await context.newPage();
  await visit(second, first.url());
  await second.getByRole("status").filter({ hasText: "Another tab of this app keeps them in sync." }).waitFor();

  // The session ends on the server; the leading tab finds out when it next syncs.
  await first.evaluate(async () => {
    const { token } = JSON.parse(localStorage.getItem("spip.session"));
    const response = await fetch("/api/auth/sign-out", { method: "POST", headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`sign-out: ${response.status}`);
  });
  await first.getByRole("button", { name: "Sync now" }).click();
  const ended = "Your sign-in on this device has ended: sign in again to sync.";
  await first.getByRole("status").filter({ hasText: ended }).waitFor();
  // The other tab says the same, and offers the same way back.
  await second.getByRole("status").filter({ hasText: ended }).waitFor();
  await second.getByRole("status").getByRole("link", { name: "Sign in again" }).click();
  await enterCode(second, applicant.email);
  await second.getByRole("status").filter({ hasText: /All changes sent\.|Another tab of this app keeps them in sync\./ }).waitFor();
  await first.getByRole("status").filter({ hasText: /All changes sent\.|Another tab of this app keeps them in sync\./ }).waitFor();
  await context.close();
});
