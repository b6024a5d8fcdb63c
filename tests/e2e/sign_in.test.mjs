// Signing in with a one-time code, then seeing what synced to this device.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  launch, openPage, baseUrl, PHONE, LAPTOP, accessibilityViolations, screenshot, newApplicant, signIn, enterCode, visit, assertChartDatesReadable,
} from "./browser.mjs";
import { newCohort } from "./api.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const [name, viewport, who] of [["phone", PHONE, "applicant"], ["laptop", LAPTOP, "team"]]) {
  test(`someone signs in and sees the open cohort synced to the device (${name}, ${who})`, async () => {
    const { context, page } = await openPage(browser, viewport);
    const applicant = newApplicant();
    const newest = who === "team" ? `Cohort ${(await newCohort()).slice(0, 6)}` : null;
    const [email, signedIn] = who === "team"
      ? ["team@example.org", "Signed in as Grace Mensah, Programme team."]
      : [applicant.email, applicant.signedIn];
    await signIn(page, email);
    await page.getByText(signedIn).waitFor();
    await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
    if (who === "team") {
      // Each cohort says where it stands; only one with projects offers their overview.
      // The demo's running cohort is named for the month it started, ten weeks or so ago.
      const RUNNING = /[A-Z][a-z]+ \d{4} cohort/;
      const row = (name) => page.locator(".nhsuk-task-list__item--with-link").filter({ hasText: name });
      await row("2027/28 cohort").getByText(/^Applications open until 11:59pm on \d{1,2} \w+ \d{4}$/).waitFor();
      await row("2027/28 cohort").getByText(/^\d+ applications? sent$/).waitFor();
      await row(RUNNING).getByText(/^Running until \d{1,2} \w+ \d{4}\s+Next session (today, |tomorrow, |on )\w+day \d{1,2} \w+ \d{4}: .+ \d$/).waitFor();
      await row(RUNNING).getByText(/^\d+ projects?$/).waitFor();
      await row(newest).getByText("0 applications sent").waitFor();
      assert.equal(await row(newest).getByRole("link", { name: "Projects overview" }).count(), 0,
        "a cohort without projects offers no overview of them");
      await screenshot(page, `signed-in-${name}`);
      // The overview's link sits in its cohort's row, above the row's own link to the applications.
      await row(RUNNING).getByRole("link", { name: "Projects overview" }).click();
      await page.getByRole("heading", { level: 1, name: "Overview" }).waitFor();
      await page.getByText(RUNNING).first().waitFor();
      await page.goBack();
      await row(RUNNING).getByRole("link", { name: RUNNING }).click();
      await page.getByRole("heading", { level: 1, name: "Applications" }).waitFor();
    } else {
      await page.getByRole("heading", { name: "Your applications" }).waitFor();
      await page.getByRole("link", { name: "Start a new application" }).waitFor();
      await screenshot(page, `signed-in-${name}`);
    }
    assert.deepEqual(page.consoleErrors, []);
    await context.close();
  });
}

test("a participant's home leads to their project and its dates, and invites no new application", async () => {
  const { context, page } = await openPage(browser);
  await signIn(page, "participant@example.org");
  await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
  const project = page.locator(".nhsuk-task-list__item--with-link").filter({ has: page.locator('a[href^="/projects/"]') });
  await project.getByText(/^Runs until \d{1,2} \w+ \d{4}$/).waitFor();
  assert.equal(await page.getByRole("link", { name: "Start a new application" }).count(), 0);
  assert.equal(await page.getByText("You have not started an application yet.").count(), 0);
  // What waits on the project is counted on the home page, and is what the project home lists.
  const waiting = page.getByRole("link", { name: /^\d+ things? on your project needs? your attention$/ });
  const count = Number((await waiting.textContent()).split(" ")[0]);
  assert.ok(count >= 1, "the demo project has an answered request for support to read");
  await waiting.click();
  const callout = page.locator(".nhsuk-warning-callout").filter({ hasText: "What needs attention" });
  await callout.waitFor();
  assert.equal(await callout.locator("ul").first().locator("li").count(), count);
  await page.goBack();
  // The application the project came from stays in view, with its decision.
  await page.getByRole("heading", { level: 2, name: "Your application" }).waitFor();
  const application = page.locator(".nhsuk-task-list__item").filter({ hasText: "Reference SPIP-" });
  await application.getByText("Accepted").waitFor();
  // Its page leads on to the project it became.
  await application.getByRole("link").click();
  await page.getByRole("link", { name: /^Open your project: Walking groups/ }).click();
  await page.getByRole("navigation", { name: "Project" }).waitFor();
  await page.goBack();
  await page.goBack();
  // The cohort's next session, from the schedule on the device: the same one the sessions page
  // marks as next.
  await page.getByRole("heading", { level: 2, name: "Next session" }).waitFor();
  const next = await page.locator("h2:text-is('Next session') + p strong").textContent();
  assert.match(await page.locator("h2:text-is('Next session') + p").textContent(),
    /^.+ \d is (today, |tomorrow, |on )(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} \w+ \d{4}: \d.*(hours?|minutes), (mandatory|optional)\.$/);
  // When and where it is, as the programme team gave it, under those words.
  const place = (await page.locator("h2:text-is('Next session') + p + p.spip-prose").textContent()).trim();
  assert.ok(place.length > 0, "the next session says when and where it is");
  await screenshot(page, "participant-home-phone");
  await page.getByRole("link", { name: "All sessions and your attendance" }).click();
  const marked = page.getByRole("row").filter({ has: page.getByText("Next", { exact: true }) });
  await marked.first().waitFor();
  assert.equal(await marked.count(), 1, "one session is marked as next");
  await marked.getByText(next).waitFor();
  await marked.getByText(place, { exact: true }).waitFor();
  await page.goBack();
  // The demo project's measure has eight weekly values: on a phone each date under its run chart
  // reads whole, as with more values (the workspace journey).
  await project.getByRole("link").click();
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Measures" }).click();
  // Each part of a project is captioned with the project's title, and its tab names both.
  await page.waitForFunction(() => document.title === "Measures – Walking groups that start at the GP surgery – SPIP Innovators");
  await page.getByText("Walking groups that start at the GP surgery", { exact: true }).waitFor();
  await page.getByRole("link", { name: "People at a first walk" }).click();
  await page.locator(".spip-chart__point").nth(7).waitFor();
  // Its tab says which measure, and of what kind, as among several tabs open it would need to.
  assert.match(await page.title(), /^People at a first walk – (Outcome|Process|Balancing) measure – SPIP Innovators$/);
  await assertChartDatesReadable(page);
  await screenshot(page, "participant-run-chart-phone");
  await context.close();
});

test("a mistyped address is explained before anything is sent", async () => {
  const { context, page } = await openPage(browser);
  await visit(page, `${baseUrl}/sign-in`);
  await page.getByLabel("Email address").fill("not an address");
  await page.getByRole("button", { name: "Send me a code" }).click();
  const summary = page.getByRole("alert").filter({ hasText: "There is a problem" });
  await summary.waitFor();
  // The summary links to the field, and the field says what is wrong, as the NHS pattern does.
  const link = summary.getByRole("link", { name: /Enter an email address in the correct format/ });
  assert.equal(await link.getAttribute("href"), "#email");
  await link.click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), "email");
  await page.getByText("Error: Enter an email address in the correct format", { exact: false }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await context.close();
});

test("\"Sync now\" pressed from the keyboard syncs and keeps the focus", async () => {
  const { context, page } = await openPage(browser);
  await signIn(page, newApplicant().email);
  const status = page.getByRole("status").filter({ hasText: "All changes sent." });
  await status.waitFor();
  const before = await status.textContent();
  await status.getByRole("button", { name: "Sync now" }).focus();
  // The round shows as "Sending and receiving changes…" until its pull is stored, then the line
  // says all is sent again.
  const sending = page.waitForResponse((response) => response.url().includes("/api/sync/pull"));
  await page.keyboard.press("Enter");
  await sending;
  await status.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Sync now", `focus after ${before}`);
  await context.close();
});

test("going offline says the work is kept on the device, and the session survives a reload", async () => {
  const { context, page } = await openPage(browser);
  const applicant = newApplicant();
  await signIn(page, applicant.email);
  await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
  await context.setOffline(true);
  await page.getByRole("status").filter({ hasText: "Offline. Your work is saved on this device." }).waitFor();
  await context.setOffline(false);
  await page.reload();
  await page.getByText(applicant.signedIn).waitFor();
  await context.close();
});

test("the app opens with no network at all, still signed in, and says it is offline", async () => {
  const { context, page } = await openPage(browser);
  const applicant = newApplicant();
  await signIn(page, applicant.email);
  await visit(page, `${baseUrl}/apply/new?cohort=0190a000-0000-7000-8000-000000000100`);
  await page.getByText("You have completed 0 of 8 sections.").waitFor();
  await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
  await page.evaluate(() => navigator.serviceWorker.ready);
  await context.setOffline(true);
  await visit(page);
  await page.getByRole("heading", { level: 1, name: /^Welcome, e2e-/ }).waitFor();
  await page.getByText(applicant.signedIn).waitFor();
  await page.getByRole("status").filter({ hasText: "Offline. Your work is saved on this device." }).waitFor();
  await page.getByRole("listitem").filter({ hasText: "2027/28 cohort" }).getByText("Not yet sent").waitFor();
  await screenshot(page, "offline-phone");
  await context.close();
});

test("everything on the device can be downloaded as a file", async () => {
  const { context, page } = await openPage(browser);
  await signIn(page, newApplicant().email);
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

test("signing out warns about unsent changes, then clears this person's data from the device", async () => {
  const { context, page } = await openPage(browser);
  await signIn(page, newApplicant().email);
  await visit(page, `${baseUrl}/apply/new?cohort=0190a000-0000-7000-8000-000000000100`);
  await page.getByText("You have completed 0 of 8 sections.").waitFor();
  await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
  const person = await page.evaluate(() => JSON.parse(localStorage.getItem("spip.session")).me.id);
  await context.setOffline(true);
  await page.getByRole("link", { name: "About you" }).click();
  await page.getByLabel("Full name").fill("Not sent yet");
  await page.getByRole("status").filter({ hasText: /^Saved on this device$/ }).waitFor();
  await visit(page, `${baseUrl}/sign-out`);
  await page.getByRole("heading", { name: "1 change is not sent yet" }).waitFor();
  await screenshot(page, "sign-out-unsent-phone");
  await page.getByRole("button", { name: "Sign out anyway" }).click();
  await page.getByRole("link", { name: "Sign in" }).waitFor();
  const names = async () => (await page.evaluate(() => indexedDB.databases())).map((d) => d.name);
  for (let tries = 0; tries < 40 && (await names()).includes(`spip-${person}`); tries += 1) {
    await page.waitForTimeout(100);
  }
  assert.ok(!(await names()).includes(`spip-${person}`), "the person's database is gone");
  assert.equal(await page.evaluate(() => localStorage.getItem("spip.session")), null);
  await context.close();
});

test("when a new version takes over, the app offers a reload that keeps what was typed offline", async () => {
  const { context, page } = await openPage(browser);
  await signIn(page, newApplicant().email);
  await visit(page, `${baseUrl}/apply/new?cohort=0190a000-0000-7000-8000-000000000100`);
  await page.getByText("You have completed 0 of 8 sections.").waitFor();
  await page.evaluate(() => navigator.serviceWorker.ready);
  // Reloaded once the service worker controls the page, as every visit after the first is.
  await page.reload();
  await page.getByText("You have completed 0 of 8 sections.").waitFor();
  await context.setOffline(true);
  await page.getByRole("link", { name: "About you" }).click();
  await page.getByLabel("Full name").fill("Typed before the update");
  // A new deployment's service worker taking over fires this event on the page.
  await page.evaluate(() => navigator.serviceWorker.dispatchEvent(new Event("controllerchange")));
  await page.getByText("A new version of the app is ready.").waitFor();
  await Promise.all([page.waitForEvent("load"), page.getByRole("button", { name: "Reload now" }).click()]);
  await page.getByLabel("Full name").waitFor();
  assert.equal(await page.getByLabel("Full name").inputValue(), "Typed before the update");
  assert.equal(await page.getByText("A new version of the app is ready.").count(), 0);
  await context.close();
});

test("on a shared device, someone signs out, another signs in and out, and the first signs back in and syncs", async () => {
  const { context, page } = await openPage(browser);
  // All in one page, moving by its own links as a person does (a reload would start afresh).
  const turn = async (email) => {
    await page.getByRole("link", { name: "Sign in" }).click();
    await enterCode(page, email);
    await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
    await page.getByRole("link", { name: "Sign out of this device" }).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("link", { name: "Sign in" }).waitFor();
  };
  const first = newApplicant().email;
  await visit(page);
  await turn(first);
  await turn(newApplicant().email);
  // This page has led for the first person before: it can lead for them again.
  await turn(first);
  await context.close();
});
