// Two devices of one applicant change the same answer with no signal: once both sync, both
// values are shown side by side, nothing is lost, and one click settles it everywhere.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, baseUrl, PHONE, LAPTOP, newApplicant, signIn, screenshot, accessibilityViolations, visit, recordOnDevice } from "./browser.mjs";
import { randomUUID } from "node:crypto";
import { OPEN_COHORT, acceptedProject, pullAll, pushChange, referenceOf, openConflicts } from "./api.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A new project and the id of a milestone in it; `change` sends a change of that milestone
 * from another device, as a colleague would. */
async function projectWithMilestone(name) {
  const participant = await acceptedProject(`${name} ${randomUUID().slice(0, 6)}`);
  const milestone = randomUUID();
  const change = (baseRev, patch) => pushChange(participant.token, { kind: "milestone", record: milestone, scope: participant.project, baseRev, patch });
  return { participant, milestone, change };
}

/** The participant signed in on a phone, on the page of the milestone called `title`. */
async function phoneOnMilestone(participant, title) {
  const { context, page } = await openPage(browser, PHONE);
  await signIn(page, participant.email);
  await visit(page, `${baseUrl}/projects/${participant.project}/plan`);
  await page.getByRole("link", { name: new RegExp(`Change.*${title}`) }).click();
  await page.getByLabel("What will be done").waitFor();
  return { context, page };
}

/** The title of `milestone` as the device behind `page` holds it, read from its storage. */
async function titleOnDevice(page, milestone) {
  return (await recordOnDevice(page, milestone))?.data?.title;
}

/** The open differences on `record` as the server lists them, once there are any (up to 30 s). */
function differencesOnceThere(participant, record) {
  return eventually(
    async () => (await openConflicts(participant.token)).filter((c) => c.record_id === record),
    (found) => found.length > 0,
  );
}

/** Reads `read()` every quarter second until `done` says yes, for up to 30 s; the last value. */
async function eventually(read, done) {
  let value;
  for (let tries = 0; tries < 120; tries += 1) {
    value = await read();
    if (done(value)) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return value;
}

async function typeName(page, url, name) {
  await visit(page, `${url}/section/about_you`);
  await page.getByLabel("Full name").fill(name);
  await page.getByRole("status").filter({ hasText: /^Saved on this device$/ }).waitFor();
}

test("the same answer changed on two devices offline is shown as a difference with both values, and resolved in one click", async () => {
  const { email } = newApplicant();
  const phone = await openPage(browser, PHONE);
  await signIn(phone.page, email);
  await visit(phone.page, `${baseUrl}/apply/new?cohort=${OPEN_COHORT}`);
  await phone.page.getByText("You have completed 0 of 8 sections.").waitFor();
  await phone.page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
  const url = phone.page.url();

  const laptop = await openPage(browser, LAPTOP);
  await signIn(laptop.page, email);
  await visit(laptop.page, url);
  await laptop.page.getByText("You have completed 0 of 8 sections.").waitFor();

  await phone.context.setOffline(true);
  await laptop.context.setOffline(true);
  await typeName(phone.page, url, "Amara Okafor (phone)");
  await typeName(laptop.page, url, "Amara Okafor (laptop)");

  await phone.context.setOffline(false);
  await phone.page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor({ timeout: 15000 });
  await laptop.context.setOffline(false);
  const panel = laptop.page.locator(".spip-conflicts");
  await panel.getByRole("heading", { name: "Resolve 1 difference" }).waitFor({ timeout: 15000 });
  await panel.getByRole("heading", { name: "Full name" }).waitFor();
  await panel.getByText(`In application ${referenceOf(url.split("/").pop())}`, { exact: true }).waitFor();
  // Each side is named from where it is read: the laptop's own words wait, the phone's are kept.
  const side = (page, label) => page.locator(".spip-conflict__choice").filter({ hasText: label });
  await side(laptop.page, "Kept for now").getByText("Amara Okafor (phone)").waitFor();
  await side(laptop.page, "From this device").getByText("Amara Okafor (laptop)").waitFor();
  await screenshot(laptop.page, "conflict-laptop");
  assert.deepEqual(await accessibilityViolations(laptop.page), []);

  // The phone learns of it on its next sync too.
  await phone.page.getByRole("button", { name: "Sync now" }).click();
  await side(phone.page, "From another device").getByText("Amara Okafor (laptop)").waitFor({ timeout: 15000 });

  // One click on the laptop keeps its own version, everywhere.
  await panel.locator(".spip-conflict__choice").filter({ hasText: "Amara Okafor (laptop)" }).getByRole("button", { name: "Keep this one" }).click();
  await panel.waitFor({ state: "detached" });
  const token = await laptop.page.evaluate(() => JSON.parse(localStorage.getItem("spip.session")).token);
  const application = await eventually(
    async () => (await pullAll(token)).find((r) => r.kind === "application"),
    (found) => found.data.full_name === "Amara Okafor (laptop)",
  );
  assert.equal(application.data.full_name, "Amara Okafor (laptop)");
  assert.deepEqual(await openConflicts(token), [], "settled on the server, not only hidden");
  await phone.page.getByRole("button", { name: "Sync now" }).click();
  await phone.page.locator(".spip-conflicts").waitFor({ state: "detached", timeout: 15000 });
  await phone.context.close();
  await laptop.context.close();
});

test("a milestone removed on one device and kept on another reads as removed or not, and keeping it brings it back", async () => {
  const { participant, milestone, change } = await projectWithMilestone("Warm welcome");
  assert.equal((await change(0, { title: "Second surgery joins", due: "2027-01-15" })).outcome, "applied");
  // One device removes it; another, which never saw that, sends it back.
  assert.equal((await change(1, { deleted: true })).outcome, "applied");
  assert.equal((await change(1, { deleted: false })).outcome, "conflict");

  const { context, page } = await openPage(browser, PHONE);
  await signIn(page, participant.email);
  const panel = page.locator(".spip-conflicts");
  await panel.getByRole("heading", { name: "Removed or not" }).waitFor({ timeout: 15000 });
  await panel.getByText("In milestone “Second surgery joins”", { exact: true }).waitFor();
  const side = (label) => panel.locator(".spip-conflict__choice").filter({ hasText: label });
  await side("Kept for now").getByText("Removed", { exact: true }).waitFor();
  await side("From another device").getByText("Not removed", { exact: true }).waitFor();
  await side("From another device").getByRole("button", { name: "Keep this one" }).click();
  await panel.waitFor({ state: "detached" });
  const kept = await eventually(
    async () => (await pullAll(participant.token)).find((r) => r.id === milestone),
    (found) => found && !found.deleted,
  );
  assert.equal(kept?.deleted, false, "the milestone is back on the server");
  assert.deepEqual(await openConflicts(participant.token), [], "settled, not only hidden");
  await visit(page, `${baseUrl}/projects/${participant.project}/plan`);
  await page.getByText("Second surgery joins", { exact: true }).waitFor();
  await context.close();
});

test("a milestone deleted on a phone that had not seen a colleague's words comes back with them, as a difference to settle", async () => {
  const { participant, milestone, change } = await projectWithMilestone("Sing out");
  assert.equal((await change(0, { title: "Launch", due: "2027-01-15" })).outcome, "applied");

  const { context, page } = await phoneOnMilestone(participant, "Launch");
  await context.setOffline(true);
  // With the phone out of signal, a colleague writes in the milestone on another device.
  assert.equal((await change(1, { title: "Launch with the choir" })).outcome, "applied");
  // The page asks first, naming what goes.
  await page.getByRole("button", { name: "Delete this milestone" }).click();
  const ask = page.locator(".spip-ask-first");
  await ask.getByRole("heading", { name: /Delete this milestone\?$/ }).waitFor();
  await ask.getByRole("button", { name: "Yes, delete this milestone" }).click();
  await page.getByRole("heading", { name: "Plan and budget" }).waitFor();
  assert.equal(await page.getByRole("link", { name: /Change.*Launch/ }).count(), 0, "gone from the phone");

  // Back in signal: the deletion does not take the colleague's words away unseen.
  await context.setOffline(false);
  const panel = page.locator(".spip-conflicts");
  await panel.getByRole("heading", { name: "Removed or not" }).waitFor({ timeout: 15000 });
  const side = (label) => panel.locator(".spip-conflict__choice").filter({ hasText: label });
  await side("From this device").getByText("Removed", { exact: true }).waitFor();
  await side("Kept for now").getByText("Not removed", { exact: true }).waitFor();
  await page.getByRole("link", { name: /Change.*Launch with the choir/ }).waitFor();
  await screenshot(page, "conflict-deleted-unseen");
  assert.deepEqual(await accessibilityViolations(page), []);

  // Keeping it settles the difference everywhere, with the colleague's words.
  await side("Kept for now").getByRole("button", { name: "Keep this one" }).click();
  await panel.waitFor({ state: "detached" });
  const open = await eventually(() => openConflicts(participant.token), (found) => found.length === 0);
  assert.deepEqual(open, [], "settled on the server, not only hidden");
  const kept = (await pullAll(participant.token)).find((r) => r.id === milestone);
  assert.equal(kept.deleted, false);
  assert.equal(kept.data.title, "Launch with the choir");
  await context.close();
});

test("a phone whose changes reach the server but whose pulls do not asks before changing a colleague's date it never saw, and not about its own words", async () => {
  const { participant, milestone, change } = await projectWithMilestone("Tea and talk");
  assert.equal((await change(0, { title: "Launch", due: "2027-01-15" })).outcome, "applied");

  const { context, page } = await phoneOnMilestone(participant, "Launch");
  // From here the phone's changes go out but nothing comes back: the signal drops after each push.
  await context.route("**/api/sync/pull*", (route) => route.abort("internetdisconnected"));
  // Meanwhile a colleague moves the date on another device.
  assert.equal((await change(1, { due: "2027-02-20" })).outcome, "applied");

  // Waits until the server's milestone and its differences are as `done` expects.
  const onServer = async (done) => {
    const found = await eventually(async () => ({
      record: (await pullAll(participant.token)).find((r) => r.id === milestone),
      conflicts: (await openConflicts(participant.token)).filter((c) => c.record_id === milestone),
    }), ({ record, conflicts }) => done(record, conflicts));
    assert.ok(done(found.record, found.conflicts), `the server is not as expected: ${JSON.stringify({ data: found.record?.data, conflicts: found.conflicts })}`);
    return found;
  };
  await page.getByLabel("What will be done").fill("Launch at the library");
  await page.getByLabel("What will be done").blur();
  await onServer((record) => record.data.title === "Launch at the library");
  await page.getByLabel("What will be done").fill("Launch at the library, with tea");
  await page.getByLabel("What will be done").blur();
  await onServer((record) => record.data.title === "Launch at the library, with tea");
  // The phone still shows the old date, so its new date waits beside the colleague's.
  await page.getByLabel("By when").fill("2027-01-27");
  await page.getByLabel("By when").blur();
  const { record, conflicts } = await onServer((_, conflicts) => conflicts.length > 0);
  assert.equal(record.data.due, "2027-02-20", "the colleague's date is not overwritten unseen");
  assert.deepEqual(conflicts.map((c) => c.field), ["due"], "nothing asked about the phone's own words");

  // Back in full signal, the phone shows the difference with both dates.
  await context.unroute("**/api/sync/pull*");
  await page.getByRole("button", { name: "Sync now" }).click();
  const panel = page.locator(".spip-conflicts");
  await panel.getByRole("heading", { name: "Resolve 1 difference" }).waitFor({ timeout: 15000 });
  const side = (label) => panel.locator(".spip-conflict__choice").filter({ hasText: label });
  await side("Kept for now").getByText("20 February 2027").waitFor();
  await side("From this device").getByText("27 January 2027").waitFor();
  await screenshot(page, "conflict-unseen-date");
  assert.deepEqual(await accessibilityViolations(page), []);
  await context.close();
});

test("words written offline into a milestone a colleague removed meanwhile come back as a difference, and keeping it brings the milestone back with them", async () => {
  const { participant, milestone, change } = await projectWithMilestone("Garden club");
  assert.equal((await change(0, { title: "Launch", due: "2027-01-15" })).outcome, "applied");

  const { context, page } = await phoneOnMilestone(participant, "Launch");
  await context.setOffline(true);
  // With the phone out of signal, a colleague removes the milestone on another device.
  assert.equal((await change(1, { deleted: true })).outcome, "applied");
  await page.getByLabel("What will be done").fill("Launch with the seed swap");
  await page.getByLabel("What will be done").blur();
  await page.getByText("Saved on this device").first().waitFor();

  await context.setOffline(false);
  const panel = page.locator(".spip-conflicts");
  await panel.getByRole("heading", { name: "Removed or not" }).waitFor({ timeout: 15000 });
  await panel.getByText("In milestone “Launch with the seed swap”", { exact: true }).waitFor();
  const side = (label) => panel.locator(".spip-conflict__choice").filter({ hasText: label });
  await side("Kept for now").getByText("Removed", { exact: true }).waitFor();
  await side("From this device").getByText("Not removed", { exact: true }).waitFor();
  await screenshot(page, "conflict-removed-while-written");
  await side("From this device").getByRole("button", { name: "Keep this one" }).click();
  await panel.waitFor({ state: "detached" });
  const kept = await eventually(
    async () => (await pullAll(participant.token)).find((r) => r.id === milestone),
    (found) => found && !found.deleted,
  );
  assert.equal(kept?.deleted, false, "back on the server");
  assert.equal(kept.data.title, "Launch with the seed swap", "with the phone's words");
  await visit(page, `${baseUrl}/projects/${participant.project}/plan`);
  await page.getByText("Launch with the seed swap", { exact: true }).waitFor();
  await context.close();
});

test("a box the person is in keeps its words when a colleague's arrive, shows them on leaving, and words typed over them wait as a difference", async () => {
  const { participant, milestone, change } = await projectWithMilestone("Knit and natter");
  assert.equal((await change(0, { title: "Launch", due: "2027-01-15" })).outcome, "applied");

  const { context, page } = await phoneOnMilestone(participant, "Launch");
  const box = page.getByLabel("What will be done");
  await box.click();
  const held = () => titleOnDevice(page, milestone);
  const until = async (read, expected) => assert.equal(await eventually(read, (value) => value === expected), expected);
  // A colleague renames it while the person is in the box; this device syncs meanwhile.
  const sync = () => page.evaluate(() => window.dispatchEvent(new Event("online")));
  assert.equal((await change(1, { title: "Launch with the choir" })).outcome, "applied");
  await sync();
  await until(held, "Launch with the choir");
  assert.equal(await box.inputValue(), "Launch", "nothing changes under the cursor");
  await page.getByLabel("By when").focus();
  await until(() => box.inputValue(), "Launch with the choir");

  // In the box again, the colleague renames it again, and the person types on unaware.
  await box.click();
  assert.equal((await change(2, { title: "Launch with the choir at noon" })).outcome, "applied");
  await sync();
  await until(held, "Launch with the choir at noon");
  await box.press("End");
  await box.pressSequentially(" and cake");
  await box.blur();
  const waiting = async () => (await openConflicts(participant.token))
    .filter((c) => c.record_id === milestone)
    .map((c) => `${c.field}: ${c.server_value} / ${c.client_value}`)
    .join("; ");
  await until(waiting, "title: Launch with the choir at noon / Launch with the choir and cake");
  const record = (await pullAll(participant.token)).find((r) => r.id === milestone);
  assert.equal(record.data.title, "Launch with the choir at noon", "the colleague's words are not written over unseen");
  const panel = page.locator(".spip-conflicts");
  await panel.getByRole("heading", { name: "Resolve 1 difference" }).waitFor({ timeout: 15000 });
  // The difference names the answer as the form asks it, so the person can find it.
  await panel.getByRole("heading", { name: "What will be done" }).waitFor();
  await context.close();
});

test("words typed in an answer while a colleague's words for it arrive, before they are written, wait as a difference", async () => {
  const { participant, milestone, change } = await projectWithMilestone("Chat and chips");
  assert.equal((await change(0, { title: "Launch", due: "2027-01-15" })).outcome, "applied");
  const { context, page } = await phoneOnMilestone(participant, "Launch");
  // The page's timers are held still: what is typed stays unwritten until the test moves on.
  await page.clock.install();
  await page.clock.pauseAt(await page.evaluate(() => Date.now() + 100));
  const box = page.getByLabel("What will be done");
  await box.click();
  await box.press("End");
  await box.pressSequentially(" at noon");
  // Meanwhile a colleague renames it, and this device pulls that in.
  assert.equal((await change(1, { title: "Launch with the choir" })).outcome, "applied");
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  assert.equal(await eventually(() => titleOnDevice(page, milestone), (title) => title === "Launch with the choir"), "Launch with the choir");
  assert.equal(await box.inputValue(), "Launch at noon", "nothing changes under the cursor");
  // The words are written, then sent.
  await page.clock.runFor(300);
  await page.getByText("Saved on this device").first().waitFor();
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  const waiting = await differencesOnceThere(participant, milestone);
  assert.deepEqual(waiting.map((c) => [c.field, c.server_value, c.client_value]), [["title", "Launch with the choir", "Launch at noon"]]);
  await context.close();
});

test("words typed in an empty answer that a colleague filled meanwhile wait as a difference", async () => {
  const { participant, milestone, change } = await projectWithMilestone("Walk and talk");
  assert.equal((await change(0, { due: "2027-01-15" })).outcome, "applied");
  const { context, page } = await phoneOnMilestone(participant, "");
  const box = page.getByLabel("What will be done");
  await box.click();
  // A colleague names the milestone while the phone's box is still empty and in use.
  assert.equal((await change(1, { title: "Launch with the choir" })).outcome, "applied");
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  assert.equal(await eventually(() => titleOnDevice(page, milestone), (title) => title === "Launch with the choir"), "Launch with the choir");
  assert.equal(await box.inputValue(), "", "nothing changes under the cursor");
  await box.pressSequentially("Launch");
  await box.blur();
  const waiting = await differencesOnceThere(participant, milestone);
  assert.deepEqual(waiting.map((c) => [c.field, c.server_value, c.client_value]), [["title", "Launch with the choir", "Launch"]]);
  await context.close();
});
