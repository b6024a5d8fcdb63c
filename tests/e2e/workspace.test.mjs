// A participant's project workspace on a phone with no signal: data points that make the run
// chart flag a shift, a PDSA cycle marked on that chart, a co-production activity at
// "co-design", all kept through a reload offline, then synced, and seen by the programme team in
// the cohort's overview. And two devices adding data points to one measure offline: both sets
// arrive.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { launch, openPage, baseUrl, PHONE, LAPTOP, accessibilityViolations, screenshot, signIn, enterCode, visit, assertChartDatesReadable, recordOnDevice } from "./browser.mjs";
import { OPEN_COHORT, acceptedProject, eventuallyEmailed, newCohort, newTeamMember, pullAll, pushChange, teamSession } from "./api.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The date in London (where the programme, and so the app, keeps its days) at `ms`, as YYYY-MM-DD. */
function londonDate(ms) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(new Date(ms));
}

/**
 * A date `weeks` weeks before today in London, as a date field takes it: counted in calendar
 * days from London's today, since a count of hours from now lands on another day when the clocks
 * changed between (late in the evening, across the end of summer time).
 */
function weeksAgo(weeks) {
  const today = new Date(`${londonDate(Date.now())}T00:00:00Z`);
  return new Date(today.getTime() - weeks * 7 * 86_400_000).toISOString().slice(0, 10);
}

/** Types one dated value into the measure's quick entry and waits until it is on the device. */
async function addPoint(page, date, value, note = "") {
  await page.getByLabel("Date", { exact: true }).fill(date);
  await page.getByLabel("Value", { exact: true }).fill(String(value));
  await page.getByLabel("Note (optional)").fill(note);
  await page.getByRole("button", { name: "Add data point" }).click();
  const day = new Date(date).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  await page.getByRole("status").filter({ hasText: `Added ${value} for ${day}. Saved on this device.` }).waitFor();
}

/** A new project with one measure counted in people, made through the API as its team would. */
async function projectWithMeasure(title, name) {
  const participant = await acceptedProject(title);
  const measure = randomUUID();
  const created = await pushChange(participant.token, {
    kind: "measure", record: measure, scope: participant.project, patch: { name, unit: "people" },
  });
  assert.equal(created.outcome, "applied");
  return { participant, measure };
}

/** Waits until `check` (async) returns something true, asking again every 300 ms. */
async function until(check, what) {
  const deadline = Date.now() + 20000;
  for (;;) {
    const found = await check();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** Waits until the status line says every change reached the server. */
/** A new accepted project and one PDSA cycle in it, made on the participant's other device. */
async function projectWithCycle(club, patch) {
  const participant = await acceptedProject(`${club} ${randomUUID().slice(0, 6)}`);
  const cycle = randomUUID();
  const created = await pushChange(participant.token, {
    kind: "pdsa_cycle", record: cycle, scope: participant.project, patch,
  });
  return { participant, cycle, created };
}

async function allSent(page) {
  await page.getByText(/^All changes sent\./).waitFor({ timeout: 20000 });
}

test("a participant's offline month of QI work shows a shift, a PDSA cycle and co-design, and reaches the programme team", async () => {
  const title = `Coffee mornings in Turkish ${randomUUID().slice(0, 6)}`;
  const participant = await acceptedProject(title);
  // Another project of the cohort, with no data yet (so no signal).
  await acceptedProject(`Quiet start ${randomUUID().slice(0, 6)}`);
  const { context, page } = await openPage(browser, PHONE);
  await signIn(page, participant.email);
  await page.getByRole("link", { name: title }).click();
  await page.getByRole("heading", { name: title }).waitFor();
  // What needs attention leads to where it is done, at the foot of the page.
  await page.getByRole("link", { name: "Give your project its first progress score." }).click();
  await page.waitForFunction(() => document.activeElement?.id === "monthly-update");
  // Brought into view: the heading, far down a phone's page, is now on the screen.
  const heading = await page.getByRole("heading", { name: /^Monthly update for / }).boundingBox();
  assert.ok(heading && heading.y >= 0 && heading.y < PHONE.height, JSON.stringify(heading));

  // From here on there is no signal.
  await context.setOffline(true);
  // The aim, on the same page: "For whom?" is carried over from the application, where it was a
  // sentence of its own, and the aim still reads as one sentence.
  assert.equal(await page.getByLabel("For whom?").inputValue(), "Turkish-speaking residents over 65.");
  await page.getByLabel("What will you improve?").fill("To double the people at a first coffee morning");
  await page.getByLabel("By how much?").fill("4 a week (from 4 to 8)");
  await page.getByLabel("By when?").fill("2027-03-31");
  await page.getByLabel("By when?").blur();
  await page.getByText("To double the people at a first coffee morning for Turkish-speaking residents over 65 by 4 a week (from 4 to 8) by 31 March 2027.", { exact: true }).waitFor();
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Measures" }).click();
  await page.getByLabel("Name").fill("People at a first meeting");
  await page.getByRole("button", { name: "Add measure" }).click();
  await page.getByRole("heading", { name: "People at a first meeting" }).waitFor();

  // Twelve weeks: six low, then six above the median.
  const values = [3, 4, 3, 5, 4, 3, 9, 10, 9, 11, 10, 9];
  for (const [week, value] of values.entries()) {
    await addPoint(page, weeksAgo(12 - week), value, week === 6 ? "Champions began inviting" : "");
  }
  const signals = page.getByTestId("signals");
  await signals.getByText("Shift").waitFor();
  await signals.getByText("6 points in a row on one side of the median.").first().waitFor();
  assert.ok(await page.locator(".spip-chart__point--signal").count() >= 6, "the shift's points are marked");
  assert.equal(await page.locator(".spip-chart__point").count(), 12);
  // The one value with a note is ringed, and the chart says what the ring means.
  assert.equal(await page.locator(".spip-chart__note").count(), 1);
  await page.getByText("A dashed ring marks a point with a note: the notes are in the table below.").waitFor();
  await page.getByText("Median 7", { exact: true }).waitFor();
  // A value for a week still to come is refused, saying why, and nothing is added.
  await page.getByLabel("Date", { exact: true }).fill(weeksAgo(-2));
  await page.getByLabel("Value", { exact: true }).fill("8");
  await page.getByRole("button", { name: "Add data point" }).click();
  await page.getByText("This date has not come yet. Enter the date the value is for: today or earlier.").first().waitFor();
  assert.equal(await page.locator(".spip-chart__point").count(), 12);
  assert.equal(await page.getByLabel("Value", { exact: true }).inputValue(), "8", "what was typed stays");
  // A mistyped value is removed again: the question names it, and "Added" no longer stands.
  const today = weeksAgo(0);
  await addPoint(page, today, 99);
  const day = new Date(today).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  await page.getByText("Correct a value, add a note, or remove it").click();
  const remove = page.getByRole("button", { name: `Remove the value for ${day}` });
  const ask = page.locator(".spip-ask-first");
  // The page asks first, naming the value, and takes the focus there; "No" keeps it.
  await remove.click();
  await ask.getByText(`Remove the value for ${day}?`).waitFor();
  await page.waitForFunction(() => document.activeElement?.classList.contains("spip-ask-first"));
  await screenshot(page, "workspace-remove-value-phone");
  await ask.getByRole("button", { name: "No, keep it" }).click();
  await ask.waitFor({ state: "hidden" });
  assert.equal(await page.locator(".spip-chart__point").count(), 13, "kept");
  await remove.click();
  await ask.getByRole("button", { name: "Yes, remove it" }).click();
  await until(async () => (await page.locator(".spip-chart__point").count()) === 12, "the value gone from the chart");
  assert.equal(await page.getByText(`Added 99 for ${day}.`, { exact: false }).count(), 0, "no word of an added value that is gone");

  // A PDSA cycle, linked to the measure, starting when the values rose.
  await page.getByRole("link", { name: "Measures" }).first().click();
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "PDSA cycles" }).click();
  await page.getByLabel("What will this cycle test?").fill("Champions invite people in person");
  await page.getByRole("button", { name: "Start cycle" }).click();
  await page.getByRole("heading", { name: "Champions invite people in person" }).waitFor();
  await page.getByLabel("People at a first meeting").check();
  await page.getByLabel("Started").fill(weeksAgo(6));
  await page.getByLabel("What do you predict will happen?").fill("Twice as many come to a first meeting.");
  await page.getByRole("status").filter({ hasText: /^Saved on this device$/ }).waitFor();
  await page.getByRole("link", { name: "Done" }).click();
  await page.locator(".spip-timeline").getByText("Measures: People at a first meeting").waitFor();

  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Measures" }).click();
  await page.getByRole("link", { name: "People at a first meeting" }).click();
  await page.getByText(`P1: Champions invite people in person (started`).waitFor();
  assert.equal(await page.locator(".spip-chart__cycle").count(), 1);
  await assertChartDatesReadable(page);
  await screenshot(page, "workspace-run-chart-phone");
  assert.deepEqual(await accessibilityViolations(page), []);

  // A co-production activity at "co-design". An NHS number is refused and not saved.
  await page.getByRole("link", { name: "Measures" }).first().click();
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Co-production" }).click();
  // "Record an activity" pressed by mistake and left with nothing recorded leaves nothing behind.
  await page.getByRole("button", { name: "Record an activity" }).click();
  await page.getByRole("heading", { name: "Co-production activity" }).waitFor();
  // Nothing typed here yet: the page does not repeat the last page's "Saved".
  await page.getByRole("status").filter({ hasText: "Your answers save on this device as you type." }).waitFor();
  await page.getByRole("link", { name: "Co-production log" }).click();
  await page.getByText("No step on the ladder recorded yet.").waitFor();
  await until(async () => (await page.getByText("taking part", { exact: false }).count()) === 0, "the empty activity gone");
  await page.getByRole("button", { name: "Record an activity" }).click();
  await page.getByRole("heading", { name: "Co-production activity" }).waitFor();
  await page.getByLabel("What was it?").fill("Design workshop with the coffee morning regulars");
  await page.getByLabel("Residents and people with lived experience").fill("14");
  await page.getByLabel("Co-design").check();
  await page.getByLabel("What did you hear?").fill("Call 943 476 5919 about it");
  await page.getByText(/NHS number/).first().waitFor();
  await page.getByLabel("What did you hear?").fill("Mornings clash with school runs; afternoons suit more people.");
  await page.getByLabel("What changed because of it?").fill("Coffee mornings moved to 2pm.");
  await page.getByRole("status").filter({ hasText: /^Saved on this device$/ }).waitFor();
  await page.getByRole("link", { name: "Done" }).click();
  await page.getByText("Highest step reached: Co-design (step 6 of 7).").waitFor();
  await page.getByText("14 taking part").waitFor();
  await screenshot(page, "workspace-coproduction-phone");
  assert.deepEqual(await accessibilityViolations(page), []);

  // Reloaded with no signal: everything is still there.
  await page.reload();
  await page.getByText("Highest step reached: Co-design (step 6 of 7).").waitFor();
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Measures" }).click();
  await page.getByText("Signal: Shift").waitFor();
  await page.getByText("12 points", { exact: false }).waitFor();

  // Back online: it all reaches the server.
  await context.setOffline(false);
  await allSent(page);
  const onServer = await pullAll(participant.token);
  const live = (kind) => onServer.filter((r) => r.kind === kind && !r.deleted);
  assert.equal(live("data_point").length, 12);
  assert.equal(live("coproduction_record").length, 1, "the activity left empty is not kept");
  assert.equal(live("coproduction_record")[0].data.ladder_step, "co_design");
  const cycle = onServer.find((r) => r.kind === "pdsa_cycle");
  const measure = onServer.find((r) => r.kind === "measure");
  assert.deepEqual(cycle.data.measures, [measure.id]);
  assert.deepEqual(page.consoleErrors.filter((e) => !e.includes("ERR_INTERNET_DISCONNECTED")), []);
  await context.close();

  // The programme team's overview shows the new step and the signal.
  const office = await openPage(browser, LAPTOP);
  await visit(office.page);
  await office.page.getByRole("link", { name: "Sign in" }).click();
  await enterCode(office.page, await newTeamMember());
  await visit(office.page, `${baseUrl}/cohorts/${OPEN_COHORT}/overview`);
  const row = office.page.getByRole("row").filter({ has: office.page.getByRole("link", { name: title }) });
  await row.getByText("1 · highest: Co-design").waitFor();
  await row.getByText("in “People at a first meeting”", { exact: false }).waitFor();
  assert.match(await row.innerText(), /(Shift|Too few runs) in “People at a first meeting”/);
  // Only the projects with a signal, when asked (the other test projects have none).
  const body = office.page.locator(".spip-overview tbody");
  assert.ok(await body.getByRole("cell", { name: "None", exact: true }).count() > 0);
  // Nothing waits on this project, and the row says so rather than counting zeros.
  await row.getByRole("cell", { name: "Nothing", exact: true }).waitFor();
  const shown = office.page.getByRole("status").filter({ hasText: /^Showing / });
  assert.match(await shown.innerText(), /^Showing all \d+ projects\.$/);
  await office.page.getByLabel("Show").selectOption({ label: "With a run-chart signal" });
  await row.waitFor();
  assert.equal(await body.getByRole("cell", { name: "None", exact: true }).count(), 0);
  // The page says how many of the cohort's projects the choice leaves.
  assert.match(await shown.innerText(), /^Showing \d+ of \d+ projects\.$/);
  // The charts are tables whose words are the page's own size, in a third of a laptop's width.
  const areas = office.page.getByRole("table", { name: "Projects by challenge area" });
  const area = office.page.getByRole("rowheader", { name: "Access and experience", exact: true });
  assert.match(await areas.getByRole("row").filter({ has: area }).innerText(), /Access and experience\s+\d+/);
  assert.ok(await areas.locator(area).evaluate((cell) => parseFloat(getComputedStyle(cell).fontSize)) >= 16);
  await screenshot(office.page, "overview-laptop");
  assert.deepEqual(await accessibilityViolations(office.page), []);
  // The evaluation's data: the measure's points, in a file named for the cohort and the day.
  const downloading = office.page.waitForEvent("download");
  await office.page.getByRole("button", { name: "Measures and their data points (CSV)" }).click();
  const file = await downloading;
  assert.equal(file.suggestedFilename(), `spip-2027-28-cohort-measures-${londonDate(Date.now())}.csv`);
  const { readFile } = await import("node:fs/promises");
  const rows = (await readFile(await file.path(), "utf8")).split(/\r?\n/).filter((line) => line.includes(title));
  assert.ok(rows.some((line) => line.includes("People at a first meeting")), `the project's measure is in the file: ${rows[0]}`);
  await office.context.close();
});

test("catching up a fortnightly measure offline, each value's date is offered a fortnight after the last", async () => {
  const { participant, measure } = await projectWithMeasure(`Fortnightly clinic ${randomUUID().slice(0, 6)}`, "People at the clinic");
  const { context, page } = await openPage(browser, PHONE);
  await signIn(page, participant.email);
  await visit(page, `${baseUrl}/projects/${participant.project}/measures/${measure}`);
  await page.getByRole("heading", { name: "People at the clinic" }).waitFor();
  await context.setOffline(true);
  await addPoint(page, weeksAgo(6), 5);
  await addPoint(page, weeksAgo(4), 6);
  const date = page.getByLabel("Date", { exact: true });
  assert.equal(await date.inputValue(), weeksAgo(2), "a fortnight after the last value");
  // Only the value is typed.
  await page.getByLabel("Value", { exact: true }).fill("7");
  await page.getByRole("button", { name: "Add data point" }).click();
  const day = new Date(weeksAgo(2)).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  await page.getByRole("status").filter({ hasText: `Added 7 for ${day}. Saved on this device.` }).waitFor();
  // The next fortnight is today; never a day still to come.
  assert.equal(await date.inputValue(), weeksAgo(0));
  await context.close();
});

test("two devices add data points to the same measure offline, and after sync both sets are there", async () => {
  const { participant, measure } = await projectWithMeasure(`Walking football ${randomUUID().slice(0, 6)}`, "Players each week");
  const devices = [await openPage(browser, PHONE), await openPage(browser, LAPTOP)];
  for (const { page } of devices) {
    await signIn(page, participant.email);
    await visit(page, `${baseUrl}/projects/${participant.project}/measures/${measure}`);
    await page.getByRole("heading", { name: "Players each week" }).waitFor();
  }
  for (const { context } of devices) await context.setOffline(true);
  const [phone, laptop] = devices.map((d) => d.page);
  for (const week of [9, 8, 7]) await addPoint(phone, weeksAgo(week), 10 + week);
  for (const week of [6, 5, 4]) await addPoint(laptop, weeksAgo(week), 20 + week);

  for (const { context } of devices) await context.setOffline(false);
  for (const page of [phone, laptop]) await allSent(page);
  // Each device fetches what the other sent.
  for (const page of [phone, laptop]) {
    await page.getByRole("button", { name: "Sync now" }).click();
    await page.locator(".spip-chart__point").nth(5).waitFor({ timeout: 15000 });
    assert.equal(await page.locator(".spip-chart__point").count(), 6);
  }
  const points = (await pullAll(participant.token)).filter((r) => r.kind === "data_point" && r.data.measure === measure);
  assert.deepEqual(points.map((p) => p.data.value).sort(), [17, 18, 19, 24, 25, 26]);
  for (const { context } of devices) await context.close();
});

test("the programme team asks for an update and reads the answer once it is sent; a submitted learning report is published for anyone to read", async () => {
  const title = `Benefits advice in the library ${randomUUID().slice(0, 6)}`;
  const participant = await acceptedProject(title);
  // The project has begun its aim: one long answer, the rest still to write.
  const what = "make free benefits advice easy to find for carers who never come to the surgery, in the library where they already go on Saturday mornings";
  const aim = await pushChange(participant.token, { kind: "project", record: participant.project, baseRev: 1, patch: { aim: { what } } });
  assert.equal(aim.outcome, "applied", JSON.stringify(aim));
  const office = await openPage(browser, LAPTOP);
  await visit(office.page);
  await office.page.getByRole("link", { name: "Sign in" }).click();
  const officeEmail = await newTeamMember();
  await enterCode(office.page, officeEmail);
  await visit(office.page, `${baseUrl}/projects/${participant.project}`);
  await office.page.getByRole("heading", { name: title }).waitFor();
  // The team reads the workspace; only the project's team changes it.
  await office.page.getByText("You are reading this project as the programme team").waitFor();
  // Its answers read as text, whole, not as boxes to type in.
  await office.page.getByRole("button", { name: "Add to this project" }).waitFor();
  const boxes = await office.page.getByRole("textbox").evaluateAll((all) => all.map((box) => box.labels[0]?.textContent.trim()));
  assert.deepEqual(boxes, ["Their name", "Email address", "Ask the project for an update"], "only the team's own boxes");
  await office.page.getByText(what, { exact: true }).waitFor();
  const byWhen = office.page.locator("dl", { hasText: "By when" });
  assert.equal((await byWhen.locator("dd").innerText()).trim(), "Not answered yet");
  assert.equal(await office.page.getByText("Your answers save on this device as you type.").count(), 0);
  // The team is told what the project has to see to, not asked to do it.
  await office.page.getByRole("heading", { name: "What needs the project's attention" }).waitFor();
  await office.page.getByText("No progress score given yet.").waitFor();
  assert.equal(await office.page.getByText("Give your project its first progress score.").count(), 0);
  await office.page.getByLabel("Ask the project for an update").fill("How did the first advice session go?");
  await office.page.getByRole("button", { name: "Send request" }).click();
  await until(async () => (await pullAll(participant.token)).some((r) => r.kind === "update_request"), "the request to reach the server");

  const { context, page } = await openPage(browser, PHONE);
  await signIn(page, participant.email);
  await page.getByRole("link", { name: title }).click();
  await page.getByText("The programme team asks for an update: “How did the first advice session go?”").waitFor();
  await page.getByRole("link", { name: "Answer the programme team's request" }).click();
  // An answer is sent by a press of its own, and an empty one is refused, naming the answer.
  const send = page.getByRole("button", { name: "Send the answer to the programme team" });
  await send.click();
  await page.getByRole("alert").getByText("Write an answer first: an answer that is sent cannot be empty.").waitFor();
  await page.getByLabel("Your answer").fill("Eleven people came; three were referred on.");
  await page.getByRole("status").filter({ hasText: /^Saved on this device$/ }).waitFor();
  // Written but not sent, it is a draft: the request still waits on the project's list.
  await page.getByRole("link", { name: "Project home" }).click();
  await page.getByText("The programme team asks for an update: “How did the first advice session go?”").waitFor();
  await page.getByRole("link", { name: "Answer the programme team's request" }).click();
  await send.click();
  await page.getByText(/^(Sent: the programme team can now read your answer|Your answer goes to the programme team with the next sync)/).waitFor();
  // Sent, it can be corrected but not emptied: the device refuses that, naming the rule.
  await page.getByLabel("Your answer").fill("");
  await page.getByText("Write an answer first: an answer that is sent cannot be empty.").first().waitFor();
  await page.getByLabel("Your answer").fill("Eleven people came; three were referred on.");
  await page.getByRole("status").filter({ hasText: /^Saved on this device$/ }).waitFor();
  await page.getByRole("link", { name: "Done" }).click();
  await page.getByText("Give your project its first progress score.").waitFor();
  assert.equal(await page.getByText("asks for an update").count(), 0);

  // The learning report: an empty section is named; a whole report is submitted.
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Learning report" }).click();
  await page.getByLabel("What we did").fill("Weekly benefits advice in the library, with a link worker.");
  await page.getByRole("button", { name: "Submit for publication" }).click();
  await page.getByRole("alert").getByText("What changed: Write this section before the report is published.").waitFor();
  await page.getByLabel("What changed").fill("Eleven people a week, up from none.");
  await page.getByLabel("What we learnt").fill("People came because the librarian knew them.");
  await page.getByLabel("What helped and what got in the way").fill("The library's opening hours helped.");
  await page.getByLabel("What happens next").fill("The library keeps the sessions.");
  await page.getByRole("button", { name: "Submit for publication" }).click();
  await page.getByText("Submitted: the programme team will read it and publish it.").waitFor();
  await until(async () => (await pullAll(participant.token)).some((r) => r.kind === "learning_report" && r.data.publication === "submitted_for_publication"), "the report to reach the server");
  await screenshot(page, "workspace-report-phone");
  assert.deepEqual(await accessibilityViolations(page), []);
  await context.close();

  // The team is told by e-mail, reads the answer, and publishes the report.
  const letter = await eventuallyEmailed(officeEmail, /^An answer to your request for an update$/);
  assert.match(letter.text, new RegExp(`/projects/${participant.project}/item/`));
  await office.page.getByRole("button", { name: "Sync now" }).click();
  await office.page.getByText("Eleven people came; three were referred on.").waitFor();
  // The submitted report waits for the team on its home page, and it was e-mailed about it.
  const submitted = await eventuallyEmailed(officeEmail, /^A learning report to publish$/);
  assert.match(submitted.text, new RegExp(`/projects/${participant.project}/report`));
  await visit(office.page);
  await office.page.getByRole("link", { name: `Learning report to publish: ${title}` }).click();
  await office.page.getByRole("button", { name: "Publish this report" }).click();
  await office.page.getByText("Published on the").first().waitFor();
  await until(async () => {
    const published = await (await fetch(`${baseUrl}/api/public/reports`)).json();
    return published.some((r) => r.project_title === title);
  }, "the report to be published");
  await office.context.close();

  // Anyone can read it, without signing in.
  const visitor = await openPage(browser, PHONE);
  await visit(visitor.page, `${baseUrl}/reports`);
  const report = visitor.page.locator("article").filter({ has: visitor.page.getByRole("heading", { name: title }) });
  await report.getByText("Weekly benefits advice in the library, with a link worker.").waitFor();
  // Under its cohort's name.
  const cohorts = await (await fetch(`${baseUrl}/api/public/cohorts`)).json();
  const cohortName = cohorts.find((c) => c.id === OPEN_COHORT).cohort.name;
  const group = visitor.page.locator("section").filter({ has: visitor.page.getByRole("heading", { level: 2, name: cohortName }) });
  await group.getByRole("heading", { level: 3, name: title }).waitFor();
  await screenshot(visitor.page, "public-reports-phone");
  assert.deepEqual(await accessibilityViolations(visitor.page), []);
  await visitor.context.close();
});

test("the programme team makes the schedule, takes attendance on a laptop, and the participant sees their own", async () => {
  const title = `Gardening on prescription ${randomUUID().slice(0, 6)}`;
  const cohort = await newCohort();
  const name = `Robin Grower ${randomUUID().slice(0, 4)}`;
  const participant = await acceptedProject(title, cohort, name);
  const office = await openPage(browser, LAPTOP);
  await visit(office.page);
  await office.page.getByRole("link", { name: "Sign in" }).click();
  await enterCode(office.page, await newTeamMember());
  await visit(office.page, `${baseUrl}/cohorts/${cohort}/sessions`);
  await office.page.getByRole("heading", { name: "Sessions and attendance" }).waitFor();
  await office.page.getByRole("button", { name: "Make the schedule from the plan" }).click();
  // Sessions still to come read as such, not as registers left untaken.
  await office.page.getByRole("cell", { name: "Coming up", exact: true }).first().waitFor();
  assert.equal(await office.page.getByRole("cell", { name: "Register not taken" }).count(), 0);
  // The first of them, the soonest, is marked as the next; only it.
  await office.page.getByRole("row").nth(1).getByRole("cell", { name: "Next", exact: true }).waitFor();
  assert.equal(await office.page.getByRole("cell", { name: "Next", exact: true }).count(), 1);
  await office.page.getByRole("link", { name: "QI training 1" }).click();
  await office.page.getByRole("heading", { name: "QI training 1" }).waitFor();
  // Where and when it is, for the participants to read with the session.
  const place = "10am to 12pm in the Garden Room, Hackney Library";
  await office.page.getByLabel("Time and place").fill(place);
  // Typed once for the series: the later QI trainings (the plan has four) take it too.
  await office.page.getByRole("button", { name: "Use this time and place for the 3 later QI training sessions" }).click();
  await office.page.getByRole("status").filter({ hasText: "Saved on this device for the 3 later QI training sessions." }).waitFor();
  // With every later one saying the same, there is nothing more to give on.
  assert.equal(await office.page.getByRole("button", { name: /^Use this time and place/ }).count(), 0);
  // Changed here alone, the later ones say otherwise again, and the page says pressing replaces that.
  const moved = "10am to 12pm in the Oak Room, Hackney Library";
  const box = office.page.getByLabel("Time and place");
  await box.fill(moved);
  await box.blur();
  await office.page.getByText("3 later sessions say something else now; pressing this replaces it.").waitFor();
  // Words a rule refuses are saved nowhere, so they are not given on either, and the page says so.
  await box.fill("Ring 943 476 5919 at the door");
  await office.page.getByRole("button", { name: "Use this time and place for the 3 later QI training sessions" }).click();
  await office.page.getByRole("status").filter({ hasText: "Not used for the later sessions: the time and place above is not saved." }).waitFor();
  await box.fill(moved);
  // The session is moved to last week, then the register taken: a tick for the new participant.
  await office.page.getByLabel("Date", { exact: true }).fill(weeksAgo(1));
  await office.page.getByRole("status").filter({ hasText: /^Saved on this device$/ }).waitFor();
  // The register names people as their applications did.
  await office.page.getByLabel(name, { exact: true }).check();
  await screenshot(office.page, "team-attendance-laptop");
  assert.deepEqual(await accessibilityViolations(office.page), []);
  await until(async () => (await pullAll(participant.token)).some((r) => r.kind === "attendance" && r.data.attended), "the mark to reach the server");
  await office.context.close();

  const { context, page } = await openPage(browser, PHONE);
  await signIn(page, participant.email);
  await page.getByRole("link", { name: title }).click();
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Sessions" }).click();
  const row = page.getByRole("row").filter({ hasText: "QI training 1" });
  await row.getByText("Attended").waitFor();
  await row.getByText(moved).waitFor();
  for (const later of ["QI training 2", "QI training 3", "QI training 4"]) {
    await page.getByRole("row").filter({ hasText: later }).getByText(place).waitFor();
  }
  assert.ok(!(await pullAll(participant.token)).some((r) => JSON.stringify(r.data).includes("943 476 5919")),
    "the refused words reached no session");
  await page.getByText(/You attended \d+% of the mandatory sessions held so far\./).waitFor();
  await context.close();
});

test("a project asks for help offline; the programme team assigns it, writes an answer and sends it; the project reads the answer", async () => {
  const title = `Men's sheds ${randomUUID().slice(0, 6)}`;
  const participant = await acceptedProject(title);
  const { context, page } = await openPage(browser, PHONE);
  await signIn(page, participant.email);
  await page.getByRole("link", { name: title }).click();
  await context.setOffline(true);
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Support and peers" }).click();
  await page.getByLabel("Evaluation").check();
  await page.getByLabel("From a mentor").check();
  await page.getByLabel("What would help?").fill("How do we ask people what changed without a long survey?");
  await page.getByRole("button", { name: "Ask for help" }).click();
  await page.getByText("Your request is saved on this device").waitFor();
  await page.getByRole("link", { name: /^Evaluation: How do we ask people/ }).waitFor();
  await context.setOffline(false);
  await until(async () => (await pullAll(participant.token)).some((r) => r.kind === "support_request"), "the request to reach the server");

  const office = await openPage(browser, LAPTOP);
  await visit(office.page);
  await office.page.getByRole("link", { name: "Sign in" }).click();
  await enterCode(office.page, await newTeamMember());
  // The team's home says how many requests wait for an answer: this one, the demo's and any
  // other journey's, as the server has them.
  const { token: teamToken } = await teamSession();
  const unanswered = (records) => records.filter((r) => r.kind === "support_request" && !r.deleted && !r.data.closed && !r.data.answer_sent).length;
  const waiting = unanswered(await pullAll(teamToken));
  assert.ok(waiting >= 2, `${waiting} waiting: this one and the demo's`);
  const toAnswer = (count) => `${count} ${count === 1 ? "request" : "requests"} for support to answer`;
  await office.page.getByRole("link", { name: toAnswer(waiting), exact: true }).waitFor();
  await office.page.getByRole("link", { name: "Requests for support", exact: true }).click();
  await office.page.getByRole("link", { name: /^Evaluation: How do we ask people/ }).click();
  // The team answers here, though the rest of the project is read-only to it.
  await office.page.getByLabel("Assigned to").fill("Dr Priya Shah");
  await office.page.getByLabel("Answer").fill("Try a three-question postcard at the end of each session.");
  await office.page.getByLabel("Agreed next step").fill("Priya joins the March co-consult.");
  await office.page.getByRole("status").filter({ hasText: /^Saved on this device$/ }).waitFor();
  await until(async () => (await pullAll(participant.token)).some((r) => r.kind === "support_request" && r.data.answer), "the answer to reach the server");
  // Written, not sent: a draft the project's device holds but does not show, still to do on
  // the team's list.
  const request = (await pullAll(participant.token)).find((r) => r.kind === "support_request").id;
  await page.getByRole("button", { name: "Sync now" }).click();
  await until(async () => (await recordOnDevice(page, request))?.data?.answer, "the draft to reach the project's device");
  await page.getByRole("link", { name: /^Evaluation: How do we ask people/ }).click();
  await page.getByRole("heading", { name: "Answer" }).waitFor();
  assert.equal(await page.getByText("Try a three-question postcard").count(), 0, "the draft is the team's");
  await page.getByText("Not answered yet.").waitFor();
  await visit(page, `${baseUrl}/projects/${participant.project}/support`);
  await office.page.getByRole("link", { name: "Requests for support", exact: true }).click();
  await office.page.getByRole("row", { name: /How do we ask people/ }).getByText("Answer not sent").waitFor();
  await office.page.getByRole("link", { name: /^Evaluation: How do we ask people/ }).click();
  await office.page.getByRole("button", { name: "Send the answer to the project" }).click();
  await office.page.getByText(/^(Sent: the project can now read your answer|Your answer goes to the project with the next sync)/).waitFor();
  await screenshot(office.page, "team-support-answer-laptop");
  assert.deepEqual(await accessibilityViolations(office.page), []);
  // Sent, it is no longer counted as waiting, and the project is told by e-mail.
  await until(async () => (await pullAll(participant.token)).some((r) => r.kind === "support_request" && r.data.answer_sent), "the sent answer to reach the server");
  await visit(office.page);
  await office.page.getByRole("link", { name: toAnswer(waiting - 1), exact: true }).waitFor();
  await office.context.close();
  const letter = await eventuallyEmailed(participant.email, /^An answer to your request for support: Evaluation$/);
  assert.match(letter.text, new RegExp(`/projects/${participant.project}/item/`));

  await page.getByRole("button", { name: "Sync now" }).click();
  await page.getByText("Answered").waitFor();
  await page.getByRole("link", { name: /^Evaluation: How do we ask people/ }).click();
  await page.getByText("Try a three-question postcard at the end of each session.").waitFor();
  await page.getByText("Priya joins the March co-consult.").waitFor();
  // The project home says the answer is there until the project closes the request.
  await visit(page, `${baseUrl}/projects/${participant.project}`);
  const answered = page.getByRole("link", { name: "Your request for help with evaluation has an answer: read it, and close the request when you are done with it." });
  await answered.click();
  await page.getByLabel("This request is dealt with").check();
  await page.getByRole("status").filter({ hasText: /^Saved on this device$|All changes sent\./ }).waitFor();
  await visit(page, `${baseUrl}/projects/${participant.project}`);
  await page.getByRole("heading", { name: "Aim statement" }).waitFor();
  assert.equal(await answered.count(), 0, "a closed request needs no attention");
  await until(async () => (await pullAll(participant.token)).some((r) => r.kind === "support_request" && r.data.closed), "the project's closing to reach the server");
  await context.close();
});

test("an open form shows a change made on another device, and keeps what is being typed", async () => {
  const { participant, cycle, created } = await projectWithCycle("Cooking club", { title: "Cook together", plan: "Old plan" });
  const { context, page } = await openPage(browser, LAPTOP);
  await signIn(page, participant.email);
  await visit(page, `${baseUrl}/projects/${participant.project}/pdsa/${cycle}`);
  const plan = page.getByLabel("What will you do, where, when and with whom?");
  const prediction = page.getByLabel("What do you predict will happen?");
  await page.waitForFunction(() => document.getElementById("plan")?.value === "Old plan");

  // The phone changes the plan; on the laptop the person is typing the prediction, and the
  // laptop's own sync (soon after their words are saved) brings the phone's plan.
  const phone = await pushChange(participant.token, {
    kind: "pdsa_cycle", record: cycle, scope: participant.project, baseRev: created.rev, patch: { plan: "New plan from the phone" },
  });
  assert.equal(phone.outcome, "applied");
  await prediction.fill("Typed on the laptop");
  await page.waitForFunction(() => document.getElementById("plan")?.value === "New plan from the phone", null, { timeout: 15000 });
  assert.equal(await prediction.inputValue(), "Typed on the laptop");
  assert.equal(await prediction.evaluate((box) => box === document.activeElement), true);
  assert.equal(await plan.inputValue(), "New plan from the phone");
  await until(async () => (await pullAll(participant.token)).find((r) => r.id === cycle)?.data.prediction === "Typed on the laptop", "the prediction to reach the server");
  await context.close();
});

test("an open form's choices, dates and ticks follow a change made on another device", async () => {
  const participant = await acceptedProject(`Walk and talk ${randomUUID().slice(0, 6)}`);
  const [referrals, attendance, cycle] = [randomUUID(), randomUUID(), randomUUID()];
  for (const [id, name] of [[referrals, "Referrals"], [attendance, "Attendance"]]) {
    await pushChange(participant.token, { kind: "measure", record: id, scope: participant.project, patch: { name } });
  }
  const created = await pushChange(participant.token, {
    kind: "pdsa_cycle", record: cycle, scope: participant.project, patch: { title: "Walk together", measures: [referrals] },
  });
  const { context, page } = await openPage(browser, LAPTOP);
  await signIn(page, participant.email);
  await visit(page, `${baseUrl}/projects/${participant.project}/pdsa/${cycle}`);
  await page.getByRole("heading", { name: "Walk together" }).waitFor();
  assert.equal(await page.getByLabel("Referrals").isChecked(), true);
  assert.equal(await page.getByLabel("Attendance").isChecked(), false);

  // The phone ticks the second measure, records the decision and the start date.
  const started = weeksAgo(3);
  const phone = await pushChange(participant.token, {
    kind: "pdsa_cycle", record: cycle, scope: participant.project, baseRev: created.rev,
    patch: { measures: [referrals, attendance], act: "adapt", started },
  });
  assert.equal(phone.outcome, "applied");
  await page.getByRole("button", { name: "Sync now" }).click();
  await until(async () => page.getByLabel("Attendance").isChecked(), "the phone's tick to show");
  assert.equal(await page.getByRole("radio", { name: "Adapt" }).isChecked(), true);
  assert.equal(await page.getByLabel("Started").inputValue(), started);

  // Unticking on the laptop keeps the phone's tick: the list written is the one now shown.
  await page.getByLabel("Referrals").uncheck();
  await until(async () => {
    const stored = (await pullAll(participant.token)).find((r) => r.id === cycle);
    return JSON.stringify(stored?.data.measures) === JSON.stringify([attendance]);
  }, "the laptop's untick to reach the server with the phone's tick kept");
  await context.close();
});

test("an open page in view picks up a change made on another device without anyone touching it", async () => {
  const { participant, cycle, created } = await projectWithCycle("Garden club", { title: "Seed swap", plan: "First plan" });
  const { context, page } = await openPage(browser, LAPTOP);
  // The page's timers run on a clock the test can move on.
  await page.clock.install();
  await signIn(page, participant.email);
  await visit(page, `${baseUrl}/projects/${participant.project}/pdsa/${cycle}`);
  await page.waitForFunction(() => document.getElementById("plan")?.value === "First plan");
  await page.getByText(/^All changes sent\./).waitFor();

  const phone = await pushChange(participant.token, {
    kind: "pdsa_cycle", record: cycle, scope: participant.project, baseRev: created.rev,
    patch: { plan: "Plan changed on the phone", title: "Seed swap at the library" },
  });
  assert.equal(phone.outcome, "applied");
  // A minute passes with the page open and no one touching it.
  await page.clock.runFor(60_000);
  await page.waitForFunction(() => document.getElementById("plan")?.value === "Plan changed on the phone", null, { timeout: 10000 });
  await page.getByRole("heading", { name: "Seed swap at the library" }).waitFor();
  await context.close();
});

test("an item added and left empty is taken away again, and one with words in it stays", async () => {
  const participant = await acceptedProject(`Plan ahead ${randomUUID().slice(0, 6)}`);
  const { context, page } = await openPage(browser, PHONE);
  await signIn(page, participant.email);
  await visit(page, `${baseUrl}/projects/${participant.project}/plan`);
  const back = () => page.locator("a.nhsuk-back-link").click();

  // Added by mistake, and left with nothing written in it.
  await page.getByRole("button", { name: "Add a milestone" }).click();
  await page.getByLabel("What will be done").waitFor();
  await back();
  await page.getByRole("heading", { name: "Plan and budget" }).waitFor();
  await until(async () => (await page.getByText("Untitled milestone").count()) === 0, "the empty milestone to go");

  // Written in just before leaving: it stays, with its words.
  await page.getByRole("button", { name: "Add a milestone" }).click();
  await page.getByLabel("What will be done").fill("Second surgery joins");
  await back();
  await page.getByText("Second surgery joins", { exact: true }).waitFor();
  await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor({ timeout: 15000 });
  assert.equal(await page.getByText("Untitled milestone").count(), 0);
  const milestones = (await pullAll(participant.token)).filter((r) => r.kind === "milestone" && !r.deleted);
  assert.deepEqual(milestones.map((m) => m.data.title), ["Second surgery joins"]);

  // One that was already there is never taken away unasked, even with its words cleared.
  await page.getByRole("link", { name: /Change.*Second surgery joins/ }).click();
  await page.getByLabel("What will be done").fill("");
  await back();
  await page.getByText("Untitled milestone").waitFor();
  await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor({ timeout: 15000 });
  const kept = (await pullAll(participant.token)).filter((r) => r.kind === "milestone" && !r.deleted);
  assert.equal(kept.length, 1, "still there, to be deleted only by asking");
  await context.close();
});

test("the programme team's read-only view of a PDSA cycle follows an answer being cleared", async () => {
  const participant = await acceptedProject(`Test and learn ${randomUUID().slice(0, 6)}`);
  const [primary, secondary, idea, cycle] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const make = (kind, record, patch) => pushChange(participant.token, { kind, record, scope: participant.project, patch });
  for (const [record, patch] of [
    [primary, { level: "primary", text: "Carers know where to find advice" }],
    [secondary, { level: "secondary", parent: primary, text: "Advice where carers already go" }],
    [idea, { level: "change_idea", parent: secondary, text: "Saturday advice desk in the library" }],
  ]) assert.equal((await make("driver_node", record, patch)).outcome, "applied");
  assert.equal((await make("pdsa_cycle", cycle, { title: "One Saturday morning", change_idea: idea })).outcome, "applied");

  const office = await openPage(browser, LAPTOP);
  await visit(office.page, `${baseUrl}/sign-in`);
  await enterCode(office.page, await newTeamMember());
  await office.page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor({ timeout: 15000 });
  await visit(office.page, `${baseUrl}/projects/${participant.project}/pdsa/${cycle}`);
  const ideaAnswer = office.page.locator("dl", { hasText: "Change idea it tests" }).locator("dd");
  await ideaAnswer.getByText("Saturday advice desk in the library").waitFor();

  // The project clears the link on one of its devices: the team's open page says so after a sync.
  const cleared = await pushChange(participant.token, { kind: "pdsa_cycle", record: cycle, scope: participant.project, baseRev: 1, patch: { change_idea: null } });
  assert.equal(cleared.outcome, "applied", JSON.stringify(cleared));
  await office.page.getByRole("button", { name: "Sync now" }).click();
  await ideaAnswer.getByText("Not answered yet").waitFor({ timeout: 15000 });
  await office.context.close();
});
