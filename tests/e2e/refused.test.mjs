// What the device says when the network or the server lets a person down: changes kept for over
// a day raise a warning with the advice to install the app, and a change the server refuses is
// shown with its reason and can be discarded without holding up anything else.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, baseUrl, PHONE, accessibilityViolations, screenshot, newApplicant, signIn, visit } from "./browser.mjs";
import { OPEN_COHORT, pullAll, pushChange, referenceOf } from "./api.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("a change kept over a day is flagged, and a change the server refuses is explained and can be discarded", async () => {
  const { context, page } = await openPage(browser, PHONE);
  const applicant = newApplicant();
  await signIn(page, applicant.email);
  await visit(page, `${baseUrl}/apply/new?cohort=${OPEN_COHORT}`);
  await page.getByText("You have completed 0 of 8 sections.").waitFor();
  await page.getByText(/^All changes sent\./).waitFor({ timeout: 20000 });
  const application = page.url().split("/").pop();
  const { token } = await page.evaluate(() => JSON.parse(localStorage.getItem("spip.session")));

  // With no signal, an answer is kept on the phone.
  await context.setOffline(true);
  await page.getByRole("link", { name: "About you" }).click();
  await page.getByLabel("Full name").fill("Amara Okafor");
  await page.getByRole("status").filter({ hasText: /^Saved on this device$/ }).waitFor();

  // Meanwhile, on another device, the applicant withdraws the application.
  const onServer = (await pullAll(token)).find((r) => r.id === application);
  const withdrawn = await pushChange(token, { kind: "application", record: application, baseRev: onServer.rev, patch: { status: "withdrawn" } });
  assert.equal(withdrawn.outcome, "applied");

  // A day and more later, still offline: the phone says its changes are only on the phone.
  await page.clock.install({ time: new Date(Date.now() + 25 * 3600 * 1000) });
  await page.reload();
  await page.getByRole("heading", { name: "Some changes have not been sent for over a day" }).waitFor();
  await page.getByText("Add this app to your home screen").waitFor();
  await screenshot(page, "old-changes-phone");

  // Back online, the server refuses the answer to a withdrawn application, and says why.
  await context.setOffline(false);
  const refused = page.getByRole("alert").filter({ hasText: "Some changes were not accepted" });
  await refused.waitFor({ timeout: 20000 });
  await refused.getByText("This application was withdrawn, so it can no longer be changed.").waitFor();
  // It says which change it was, as the applicant typed it.
  await refused.getByText(`Your change to the application ${referenceOf(application)}:`).waitFor();
  await refused.getByText("Full name: Amara Okafor", { exact: true }).waitFor();
  // The refused change is not waiting for a connection, so the phone no longer says so.
  await page.getByText(/^1 change not accepted: see below\. Everything else is sent\./).waitFor();
  assert.equal(await page.getByText("Some changes have not been sent for over a day").count(), 0);
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, "refused-change-phone");
  await refused.getByRole("button", { name: "Discard this change" }).click();
  await refused.waitFor({ state: "detached" });
  await page.getByText(/^All changes sent\./).waitFor({ timeout: 20000 });
  assert.equal(await page.getByText("Some changes have not been sent for over a day").count(), 0);
  const after = (await pullAll(token)).find((r) => r.id === application);
  assert.equal(after.data.status, "withdrawn");
  assert.notEqual(after.data.full_name, "Amara Okafor");
  await context.close();
});
