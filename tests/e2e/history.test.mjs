// A project's history: who changed what, and when, for the project's own people and the
// programme team; kept on the server, so a change made without a signal shows once it is synced.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { launch, openPage, baseUrl, PHONE, LAPTOP, accessibilityViolations, screenshot, signIn, visit } from "./browser.mjs";
import { OPEN_COHORT, acceptedProject } from "./api.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("a project's history says who changed what and when, and a change made offline shows once it is synced", async () => {
  const title = `Garden club ${randomUUID().slice(0, 6)}`;
  const participant = await acceptedProject(title, OPEN_COHORT, "Sam Lead");
  const { context, page } = await openPage(browser, PHONE);
  await signIn(page, participant.email);
  await page.getByRole("link", { name: title }).click();
  await page.getByLabel("What will you improve?").waitFor();

  // Out of signal, the lead writes the aim; the history needs the server.
  await context.setOffline(true);
  await page.getByLabel("What will you improve?").fill("More people growing food together");
  await page.getByRole("status").filter({ hasText: /^Saved on this device$/ }).waitFor();
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "History" }).click();
  await page.getByRole("heading", { name: "History", exact: true }).waitFor();
  await page.getByText("You need a signal to see the project's changes. They show here when you are back online.").waitFor();

  // Back in signal, the change is sent and then listed, under today (the day's heading in
  // London's words), with who made it.
  await context.setOffline(false);
  const today = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", weekday: "long", day: "numeric", month: "long", year: "numeric" })
    .format(new Date()).replace(",", "");
  await page.getByRole("heading", { name: today }).waitFor({ timeout: 20000 });
  const listed = page.getByRole("listitem");
  await listed.filter({ hasText: `Sam Lead changed the project “${title}”: Aim` }).waitFor({ timeout: 20000 });
  await listed.filter({ hasText: `Grace Mensah (programme team) added the project “${title}”` }).waitFor();
  // It names the answer that changed, not the words: those are on the project's pages.
  assert.equal(await page.getByText("More people growing food together").count(), 0);
  await screenshot(page, "history-phone");
  assert.deepEqual(await accessibilityViolations(page), []);
  await context.close();

  // The programme team reads the same list.
  const office = await openPage(browser, LAPTOP);
  await signIn(office.page, "team@example.org");
  await visit(office.page, `${baseUrl}/projects/${participant.project}/history`);
  await office.page.getByRole("listitem").filter({ hasText: `Sam Lead changed the project “${title}”: Aim` }).waitFor();
  await screenshot(office.page, "history-laptop");
  await office.context.close();
});
