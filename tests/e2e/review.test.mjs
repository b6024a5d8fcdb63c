// A Board member reviews on a phone with no signal: scores each criterion, submits, and the
// review reaches the programme team once back online. A declared conflict removes the
// application from their list.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, PHONE, LAPTOP, accessibilityViolations, screenshot, signIn, visit } from "./browser.mjs";
import { sentApplication, assignedReviewer, assign, teamSession, pullAll, apiSignIn, pushChange, openConflicts } from "./api.mjs";

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

  // On a phone the five scores of a criterion sit on one line, their circles level.
  const tops = await page.getByRole("group", { name: CRITERIA[0] }).getByRole("radio")
    .evaluateAll((radios) => radios.map((radio) => radio.getBoundingClientRect().top));
  assert.equal(tops.length, 5);
  assert.deepEqual(new Set(tops).size, 1, `the circles' tops: ${tops.join(", ")}`);

  await context.setOffline(true);
  // Submitting with scores missing names each one.
  await page.getByRole("group", { name: CRITERIA[0] }).getByLabel("4").check();
  await page.getByRole("button", { name: "Submit review" }).click();
  const summary = page.getByRole("alert").filter({ hasText: "There is a problem" });
  await summary.getByText('Score "Feasible in six months" from 1 to 5.').waitFor();
  assert.equal(await summary.getByRole("link").count(), 4);
  // Pressed at the foot of a long page, the summary at its top takes the focus.
  await page.waitForFunction(() => document.activeElement?.classList.contains("nhsuk-error-summary"));
  for (const [index, criterion] of CRITERIA.entries()) {
    await page.getByRole("group", { name: criterion }).getByLabel(String((index % 5) + 1)).check();
  }
  await page.getByLabel("Why this score for focus on health inequalities?").fill("Clear focus on older Turkish speakers.");
  await page.getByRole("button", { name: "Submit review" }).click();
  // Said where the button was pressed, at the foot of the page, and by the heading.
  await page.getByRole("status").getByText("will be sent when you are back online").waitFor();
  assert.equal(await page.getByRole("button", { name: "Submit review" }).count(), 0);
  await page.getByText("Waiting to send", { exact: true }).waitFor();
  await screenshot(page, "review-offline-phone");

  await context.setOffline(false);
  await page.getByRole("status").getByText("Your review has been sent to the programme team.").waitFor({ timeout: 15000 });
  await page.getByText("Submitted", { exact: true }).waitFor();
  await page.getByText("Waiting to send", { exact: true }).waitFor({ state: "detached" });
  const { token } = await teamSession();
  const review = (await pullAll(token)).find((r) => r.kind === "review" && r.scope === application.id);
  assert.equal(review.data.submitted, true);
  assert.equal(review.data.scores.health_inequalities.score, 1);
  assert.equal(review.data.scores.sustainability_and_spread.score, 5);
  assert.equal(review.data.scores.health_inequalities.comment, "Clear focus on older Turkish speakers.");
  assert.deepEqual(await accessibilityViolations(page), []);
  await visit(page);
  await page.getByRole("listitem").filter({ hasText: "Bola Adeyemi" }).getByText("Submitted").waitFor();
  // Two applications assigned later, not started, come before the review already sent, the
  // older of them first.
  for (const name of ["Chidi Okonkwo", "Dami Bello"]) {
    await assign(reviewer.id, (await sentApplication(name)).id);
  }
  await page.getByRole("button", { name: "Sync now" }).click();
  const items = page.locator(".nhsuk-task-list__item");
  await items.filter({ hasText: "Dami Bello" }).getByText("Not started").waitFor();
  const names = await items.evaluateAll((rows) => rows.map((row) => row.querySelector("a").textContent.split(",")[0]));
  assert.deepEqual(names, ["Chidi Okonkwo", "Dami Bello", "Bola Adeyemi"]);
  await context.close();
});

test("on a laptop the review stays in view beside the application while it is read", async () => {
  const application = await sentApplication("Efua Mensah");
  const reviewer = await assignedReviewer(application.id);
  const { context, page } = await openPage(browser, LAPTOP);
  await signIn(page, reviewer.email);
  await page.getByRole("listitem").filter({ hasText: "Efua Mensah" }).getByRole("link").click();
  const review = page.getByRole("heading", { name: "Your review" });
  const about = page.getByRole("heading", { name: "About you" });
  await review.waitFor();
  const [left, right] = [await about.boundingBox(), await review.boundingBox()];
  assert.ok(right.x > left.x + left.width, `the review (x ${right.x}) is right of the application (ends ${left.x + left.width})`);
  // Each criterion says what it asks, and its numbers sit beside their circles.
  const first = page.getByRole("group", { name: CRITERIA[0] });
  await first.getByText("Does the project reach people who face the greatest health inequalities").waitFor();
  const [circle, number] = [await first.getByRole("radio").first().boundingBox(), await first.getByText("1", { exact: true }).boundingBox()];
  assert.ok(number.y < circle.y + circle.height, "the number is level with its circle, not under it");
  // Read to the application's end: the scores are still in view.
  await page.getByRole("heading", { name: "Support and commitments" }).scrollIntoViewIfNeeded();
  assert.ok(await page.evaluate(() => window.scrollY) > 500, "the page scrolled down to the application's end");
  const box = await first.boundingBox();
  const height = page.viewportSize().height;
  assert.ok(box.y >= 0 && box.y < height, `the first criterion is in view (y ${box.y})`);
  await screenshot(page, "review-laptop");
  assert.deepEqual(await accessibilityViolations(page), []);
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
  await visit(page);
  await page.getByRole("heading", { name: "Applications to review" }).waitFor();
  await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
  assert.equal(await page.getByRole("listitem").filter({ hasText: "Chidi Obi" }).count(), 0);
  await context.close();
});

test("a score changed on two devices before either synced reads as the criterion, its score and its reason", async () => {
  const application = await sentApplication("Efua Mensah");
  const reviewer = await assignedReviewer(application.id);
  const { context, page } = await openPage(browser, PHONE);
  await signIn(page, reviewer.email);
  await page.getByRole("listitem").filter({ hasText: "Efua Mensah" }).getByRole("link").click();
  const feasible = page.getByRole("group", { name: "Feasible in six months" });
  await feasible.getByLabel("3").check();
  const { token } = await apiSignIn(reviewer.email);
  let review;
  for (let tries = 0; tries < 60 && !review; tries += 1) {
    review = (await pullAll(token)).find((r) => r.kind === "review" && r.scope === application.id);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.ok(review, "the first score reached the server");

  // The phone scores with no signal; the reviewer's laptop scores the same criterion and syncs.
  await context.setOffline(true);
  await feasible.getByLabel("4").check();
  await page.getByLabel("Why this score for feasible in six months?").fill("Doable");
  await page.getByRole("status").filter({ hasText: /^Saved on this device$/ }).waitFor();
  const laptop = await pushChange(token, {
    kind: "review", record: review.id, scope: application.id, baseRev: review.rev,
    patch: { scores: { feasible_in_six_months: { score: 2, comment: "Too much" } } },
  });
  assert.equal(laptop.outcome, "applied");

  // Back online, both versions read as a person wrote them, not as data.
  await context.setOffline(false);
  const panel = page.locator(".spip-conflicts");
  const difference = panel.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Scores" }) });
  await difference.waitFor({ timeout: 15000 });
  await difference.getByText(/^In review of application SPIP-[0-9A-F]{8}$/).waitFor();
  const side = (label) => difference.locator(".spip-conflict__choice").filter({ hasText: label });
  await side("Kept for now").getByText("Feasible in six months: 2 of 5. Too much").waitFor();
  await side("From this device").getByText("Feasible in six months: 4 of 5. Doable").waitFor();
  assert.equal(await panel.getByText("{").count(), 0, "no JSON shown");
  await screenshot(page, "review-conflict-phone");

  await difference.locator(".spip-conflict__choice").filter({ hasText: "4 of 5" }).getByRole("button", { name: "Keep this one" }).click();
  await panel.waitFor({ state: "detached", timeout: 15000 });
  let kept;
  for (let tries = 0; tries < 60; tries += 1) {
    kept = (await pullAll(token)).find((r) => r.id === review.id);
    if (kept.data.scores.feasible_in_six_months.score === 4) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.deepEqual(kept.data.scores.feasible_in_six_months, { score: 4, comment: "Doable" });
  // Settled on the server, not only hidden here.
  assert.deepEqual((await openConflicts(token)).filter((c) => c.record_id === review.id), []);
  await context.close();
});
