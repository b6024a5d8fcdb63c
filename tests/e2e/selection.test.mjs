// The programme team on a laptop: creates a cohort, sees sent applications with their reviewers'
// scores, invites and assigns a reviewer, and accepts an application with a message the
// applicant then reads; accepting makes the applicant a participant with a project.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, baseUrl, LAPTOP, PHONE, accessibilityViolations, screenshot, signIn, enterCode, visit } from "./browser.mjs";
import { uniqueSurname, sentApplication, submittedReview, newTeamMember, pullAll, apiSignIn, OPEN_COHORT } from "./api.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("the programme team reads the scores, assigns a reviewer and accepts an application", async () => {
  // A name of its own, so a run against a database that holds earlier runs finds only this one.
  const applicant = `Dara ${uniqueSurname()}`;
  const application = await sentApplication(applicant);
  await submittedReview(application.id, 4);
  await submittedReview(application.id, 2);
  const { context, page } = await openPage(browser, LAPTOP);
  await signIn(page, await newTeamMember());
  await page.getByRole("link", { name: "2027/28 cohort" }).click();
  await page.getByRole("heading", { name: "Applications" }).waitFor();
  const row = page.getByRole("row").filter({ hasText: applicant });
  await row.getByText("2 counted").waitFor();
  await row.getByText("3.0 (±1.0)").first().waitFor();
  // On a laptop every criterion's score is in view, with nothing to scroll sideways for.
  const table = page.getByRole("table", { name: "Sent applications with their reviewers' scores" });
  await table.getByRole("columnheader", { name: "Sustainability" }).waitFor();
  assert.ok(await table.evaluate((t) => t.scrollWidth <= t.clientWidth), "the table fits the page");
  await screenshot(page, "selection-applications-laptop");
  assert.deepEqual(await accessibilityViolations(page), []);
  await row.getByRole("link", { name: applicant }).click();

  // Invite a reviewer, then assign them.
  await page.getByRole("heading", { name: "Reviewers' scores" }).waitFor();
  await page.getByRole("link", { name: "Invite a reviewer" }).click();
  const reviewerEmail = `e2e-board-${Date.now()}@example.org`;
  await page.getByLabel("Name").fill("Prof Lin Board");
  await page.getByLabel("Email address").fill(reviewerEmail);
  // Pressed twice in a hurry, the invitation goes once.
  const invitations = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === "/api/people") invitations.push(request);
  });
  await page.getByRole("button", { name: "Invite" }).dblclick();
  await page.getByText(`Prof Lin Board can now sign in with ${reviewerEmail}. We have e-mailed them to say so.`).waitFor();
  assert.equal(invitations.length, 1, "one invitation sent");
  await page.goBack();
  await page.getByLabel("Assign a reviewer").selectOption({ label: `Prof Lin Board (${reviewerEmail})` });
  await page.getByRole("button", { name: "Assign" }).click();
  await page.getByRole("listitem").filter({ hasText: "Prof Lin Board" }).waitFor();
  await page.getByRole("status").filter({ hasText: "Prof Lin Board is assigned to review this application. We have e-mailed them to say so." }).waitFor();

  // Move it on, then accept with a message.
  await page.getByRole("button", { name: "Start review" }).click();
  await page.getByText("Being reviewed").first().waitFor();
  await page.getByLabel("Message to the applicant").fill("Welcome aboard: the first session is on 8 February.");
  await page.getByRole("button", { name: "Accept and create the project" }).click();
  await page.getByText("there is nothing more to decide").waitFor();
  await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor({ timeout: 15000 });
  await screenshot(page, "selection-decided-laptop");
  await context.close();

  // The applicant reads the decision, and now has a project.
  const seen = await pullAll(application.token);
  const sent = seen.find((r) => r.id === application.id);
  assert.equal(sent.data.status, "accepted");
  assert.equal(sent.data.decision_message, "Welcome aboard: the first session is on 8 February.");
  const { me } = await apiSignIn(application.email);
  assert.equal(me.role, "participant");
  assert.ok((await pullAll(application.token)).some((r) => r.kind === "project"), "the project reached the applicant");

  // On their phone, the applicant reads the decision and the message.
  const phone = await openPage(browser, PHONE);
  await signIn(phone.page, application.email);
  await phone.page.getByRole("listitem").filter({ hasText: "2027/28 cohort" }).getByRole("link").click();
  await phone.page.getByRole("heading", { name: "Congratulations: your project has a place on the programme" }).waitFor();
  await phone.page.getByText("Welcome aboard: the first session is on 8 February.").waitFor();
  await screenshot(phone.page, "applicant-accepted-phone");
  await phone.context.close();
});

test("offline, an application's page says its reviewers come with the network, and they do", async () => {
  const applicant = `Sol ${uniqueSurname()}`;
  await sentApplication(applicant);
  const { context, page } = await openPage(browser, LAPTOP);
  await signIn(page, await newTeamMember());
  await page.getByRole("link", { name: "2027/28 cohort" }).click();
  const row = page.getByRole("row").filter({ hasText: applicant });
  await row.getByRole("link", { name: applicant }).waitFor();
  await context.setOffline(true);
  await row.getByRole("link", { name: applicant }).click();
  // The application is on the device; its reviewers are on the server.
  await page.getByRole("heading", { name: "Reviewers' scores" }).waitFor();
  await page.getByText("You need a signal to see or assign reviewers.").waitFor();
  assert.equal(await page.getByLabel("Assign a reviewer").count(), 0);
  await screenshot(page, "selection-reviewers-offline-laptop");
  // Back online, the reviewers come without being asked for.
  await context.setOffline(false);
  await page.getByLabel("Assign a reviewer").waitFor();
  await page.getByText("No reviewers assigned yet.").waitFor();
  assert.equal(await page.getByText("You need a signal to see or assign reviewers.").count(), 0);
  await context.close();
});

test("when the team's sign-in has ended, a page that asks the server says so and signing in comes back to it", async () => {
  const email = await newTeamMember();
  const { context, page } = await openPage(browser, LAPTOP);
  await signIn(page, email);
  await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
  // The session ends on the server (as when it expires); the device still holds it.
  await page.evaluate(async () => {
    const { token } = JSON.parse(localStorage.getItem("spip.session"));
    const response = await fetch("/api/auth/sign-out", { method: "POST", headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`sign-out: ${response.status}`);
  });
  await page.goto(`${baseUrl}/people`);
  await page.getByText("Your sign-in on this device has ended, so the server will not show this.").waitFor();
  // The status line says the same, and offers to sign in where it offered to sync.
  const status = page.locator(".spip-sync-status");
  await status.getByText("Your sign-in on this device has ended: sign in again to sync.").waitFor();
  assert.equal(await status.getByRole("button", { name: "Sync now" }).count(), 0);
  assert.equal(await status.getByRole("link", { name: "Sign in again" }).getAttribute("href"), "/sign-in?next=%2Fpeople");
  assert.equal(await page.getByRole("button", { name: "Try again" }).count(), 0, "asking again cannot help");
  // An invitation is not kept to send later: it says it was not done.
  await page.getByLabel("Name").fill("Dr Lin Board");
  await page.getByLabel("Email address").fill(`lin-${uniqueSurname().toLowerCase()}@example.org`);
  await page.getByRole("button", { name: "Invite" }).click();
  const summary = page.locator(".nhsuk-error-summary");
  await summary.getByText("Your sign-in on this device has ended, so this was not done.").waitFor();
  // No answer is wrong: the summary says so on its own, and no field is marked.
  assert.equal(await summary.getByRole("link").count(), 0);
  assert.equal(await page.locator(".nhsuk-form-group--error").count(), 0);
  await screenshot(page, "selection-signed-out-laptop");
  // Signing in again in another tab is enough: this page asks the server again by itself.
  const other = await context.newPage();
  await visit(other, `${baseUrl}/sign-in`);
  await enterCode(other, email);
  await page.getByText(email).waitFor();
  assert.equal(await page.getByText("Your sign-in on this device has ended, so the server will not show this.").count(), 0);
  await other.close();
  // Ended again, signing in from the page's own link comes back to it.
  await page.evaluate(async () => {
    const { token } = JSON.parse(localStorage.getItem("spip.session"));
    await fetch("/api/auth/sign-out", { method: "POST", headers: { authorization: `Bearer ${token}` } });
  });
  await page.reload();
  await page.getByText("Your sign-in on this device has ended, so the server will not show this.").waitFor();
  await page.locator(".nhsuk-inset-text").getByRole("link", { name: "Sign in again" }).click();
  await enterCode(page, email);
  await page.waitForURL(`${baseUrl}/people`);
  await page.getByText(email).waitFor();
  await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
  await context.close();
});

test("a new cohort is checked before it is saved, then appears for the team and on the open call", async () => {
  const { context, page } = await openPage(browser, PHONE);
  await signIn(page, await newTeamMember());
  await page.getByRole("link", { name: "Create a cohort" }).click();
  const name = `Test cohort ${Date.now()}`;
  await page.getByLabel("Cohort name").fill(name);
  await page.getByLabel("Applications open").fill("2027-03-01");
  await page.getByLabel("Applications close").fill("2027-02-01");
  await page.getByLabel("Programme starts").fill("2027-05-03");
  assert.equal(await page.getByLabel("Programme ends").inputValue(), "2027-11-03");
  // The plan: one QI training fewer than the default, and a series left at zero is named.
  await page.getByText("The 19 sessions this plan gives").waitFor();
  const training = page.getByRole("group", { name: "QI training" });
  await training.getByLabel("Sessions").fill("3");
  await page.getByText("The 18 sessions this plan gives").waitFor();
  const coaching = page.getByRole("group", { name: "1:1 coaching" });
  await coaching.getByLabel("Sessions").fill("0");
  await page.getByRole("button", { name: "Create cohort" }).click();
  await page.getByRole("alert").getByRole("link", { name: "The closing date must be after the opening date." }).waitFor();
  await page.getByLabel("Applications close").fill("2027-04-01");
  await page.getByRole("button", { name: "Create cohort" }).click();
  await page.getByRole("alert").getByRole("link", { name: "Enter between 1 and 24 sessions." }).waitFor();
  await coaching.getByLabel("Sessions").fill("3");
  await page.getByRole("button", { name: "Create cohort" }).click();
  await page.getByRole("link", { name }).waitFor();
  await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor({ timeout: 15000 });
  const cohorts = await (await fetch(`${baseUrl}/api/public/cohorts`)).json();
  const created = cohorts.find((c) => c.cohort.name === name);
  assert.equal(created.window, "not_yet_open");
  // 9am and 11:59pm London time: Greenwich Mean Time on 1 March, British Summer Time on 1 April.
  assert.equal(created.cohort.applications_open, "2027-03-01T09:00:00Z");
  assert.equal(created.cohort.applications_close, "2027-04-01T22:59:00Z");
  assert.equal(created.cohort.places, 12);
  assert.equal(created.cohort.session_plan.series.find((s) => s.kind === "qi_training").count, 3);
  assert.notEqual(created.id, OPEN_COHORT);
  await context.close();
});
