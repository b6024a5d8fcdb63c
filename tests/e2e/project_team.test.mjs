// The programme team gives a colleague of a project's lead access to the project on a laptop;
// the colleague, told by e-mail, signs in on a phone and finds the project's work there.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { launch, openPage, baseUrl, LAPTOP, PHONE, accessibilityViolations, screenshot, signIn, visit } from "./browser.mjs";
import { acceptedProject, newTeamMember, eventuallyEmailed } from "./api.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("the programme team gives a colleague access to a project, and the colleague finds it on their phone", async () => {
  const title = `Walking group ${randomUUID().slice(0, 6)}`;
  const lead = await acceptedProject(title);
  const { context, page } = await openPage(browser, LAPTOP);
  await signIn(page, await newTeamMember());
  await visit(page, `${baseUrl}/projects/${lead.project}`);
  await page.getByRole("heading", { name: "Who can open this project" }).waitFor();
  await page.getByRole("listitem").filter({ hasText: `Sam Lead (${lead.email})` }).waitFor();
  // Checked on the device before anything is sent.
  await page.getByRole("button", { name: "Add to this project" }).click();
  const problems = page.getByRole("alert").filter({ hasText: "There is a problem" });
  await problems.getByRole("link", { name: "Enter their name (120 characters or fewer)." }).waitFor();
  await problems.getByRole("link", { name: "Enter an email address in the correct format, like name@example.org." }).waitFor();
  const colleague = `e2e-colleague-${randomUUID().slice(0, 8)}@example.org`;
  await page.getByLabel("Their name").fill("Noor Rahman");
  await page.getByLabel("Email address").fill(colleague);
  await page.getByRole("button", { name: "Add to this project" }).click();
  await page.getByText(`Noor Rahman can now sign in with ${colleague} and open this project.`).waitFor();
  await page.getByRole("listitem").filter({ hasText: `Noor Rahman (${colleague})` }).waitFor();
  assert.equal(await page.getByLabel("Their name").inputValue(), "", "the form is ready for the next person");
  await screenshot(page, "project-team-laptop");
  assert.deepEqual(await accessibilityViolations(page), []);
  await context.close();

  const letter = await eventuallyEmailed(colleague, /^You have been added to a project on SPIP Innovators$/);
  assert.ok(letter.text.includes(`the project "${title}"`), letter.text);

  const phone = await openPage(browser, PHONE);
  await signIn(phone.page, colleague);
  await phone.page.locator(`a.nhsuk-task-list__link[href="/projects/${lead.project}"]`).click();
  await phone.page.getByRole("heading", { name: title, level: 1 }).waitFor();
  const people = phone.page.getByRole("listitem");
  await people.filter({ hasText: "Noor Rahman" }).waitFor();
  await people.filter({ hasText: "Sam Lead" }).first().waitFor();
  assert.equal(await phone.page.getByRole("button", { name: "Add to this project" }).count(), 0);
  assert.equal(await phone.page.getByText(colleague).count(), 0, "a project's people see names, not addresses");
  await screenshot(phone.page, "project-team-colleague-phone");
  await phone.context.close();
});
