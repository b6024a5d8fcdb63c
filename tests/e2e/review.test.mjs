// A Board member reviews on a phone with no signal: scores each criterion, submits, and the
// review reaches the programme team once back online. A declared conflict removes the
// application from their list.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, baseUrl, PHONE, accessibilityViolations, screenshot, signIn } from "./browser.mjs";
import { sentApplication, assignedReviewer, teamSession, pullAll } from "./api.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const CRITERIA = [
  "Focus on health inequalities", "Feasible in six months", "Co-production with the community",
  "Measuring impact", "Sustainability and spread",
];

test("a reviewer scores an assigned application offline and it reaches the programme team", async () => {
  const application = await sentApplication("Bola Adeyemi");
  const reviewer = await assignedReviewer(application.id);
  const { context, page } = await openPage(browser, PHONE);
  await signIn(page, reviewer.email);
  await page.getByRole("heading", { name: "Applications to review" }).waitFor();
  const item = page.getByRole("listitem").filter({ hasText: "Bola Adeyemi" });
  await item.getByText("Not started").waitFor();
  await item.getByRole("link").click();
  await page.getByRole("heading", { name: "Application from Bola Adeyemi" }).waitFor();
  await page.getByText("Community champions run coffee mornings in Turkish.").waitFor();

  await context.setOffline(true);
  // Submitting with scores missing names each one.
  await page.getByRole("group", { name: CRITERIA[0] }).getByLabel("4").check();
  await page.getByRole("button", { name: "Submit review" }).click();
  const summary = page.getByRole("alert").filter({ hasText: "There is a problem" });
  await summary.getByText('Score "Feasible in six months" from 1 to 5.').waitFor();
  assert.equal(await summary.getByRole("link").count(), 4);
  for (const [index, criterion] of CRITERIA.entries()) {
    await page.getByRole("group", { name: criterion }).getByLabel(String((index % 5) + 1)).check();
  }
  await page.getByLabel("Why this score for focus on health inequalities?").fill("Clear focus on older Turkish speakers.");
  await page.getByRole("button", { name: "Submit review" }).click();
  await page.getByText("will be sent when you are back online").waitFor();
  await screenshot(page, "review-offline-phone");

  await context.setOffline(false);
  await page.getByText("Your review has been sent to the programme team.").waitFor({ timeout: 15000 });
  const { token } = await teamSession();
  const review = (await pullAll(token)).find((r) => r.kind === "review" && r.scope === application.id);
  assert.equal(review.data.submitted, true);
  assert.equal(review.data.scores.health_inequalities.score, 1);
  assert.equal(review.data.scores.sustainability_and_spread.score, 5);
  assert.equal(review.data.scores.health_inequalities.comment, "Clear focus on older Turkish speakers.");
  assert.deepEqual(await accessibilityViolations(page), []);
  await page.goto(baseUrl);
  await page.getByRole("listitem").filter({ hasText: "Bola Adeyemi" }).getByText("Submitted").waitFor();
  await context.close();
});

test("a reviewer who declares a conflict of interest no longer sees the application", async () => {
  const application = await sentApplication("Chidi Obi");
  const reviewer = await assignedReviewer(application.id);
  const { context, page } = await openPage(browser, PHONE);
  await signIn(page, reviewer.email);
  await page.getByRole("listitem").filter({ hasText: "Chidi Obi" }).getByRole("link").click();
  await page.getByLabel("I have a conflict of interest with this application").check();
  await page.getByLabel("What is the conflict? (optional)").fill("I line-manage the applicant.");
  await page.getByRole("button", { name: "Submit review" }).click();
  await page.getByText("Your review has been sent to the programme team.").waitFor({ timeout: 15000 });
  await page.goto(baseUrl);
  await page.getByRole("heading", { name: "Applications to review" }).waitFor();
  await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
  assert.equal(await page.getByRole("listitem").filter({ hasText: "Chidi Obi" }).count(), 0);
  await context.close();
});
