// The page closes in the middle of a push, after the server applied it but before the answer
// arrived, and the answer is changed again on another device. Reopened, the app sends the very
// same operation again and the server answers it from its stored result: nothing lost, nothing
// applied twice, nothing newer overwritten.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage, baseUrl, PHONE, newApplicant, signIn, visit } from "./browser.mjs";
import { OPEN_COHORT, pullAll, pushChange } from "./api.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("a page closed mid-push loses nothing and applies nothing twice", async () => {
  const { context, page } = await openPage(browser, PHONE);
  await signIn(page, newApplicant().email);
  await visit(page, `${baseUrl}/apply/new?cohort=${OPEN_COHORT}`);
  await page.getByText("You have completed 0 of 8 sections.").waitFor();
  await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
  const url = page.url();
  const token = await page.evaluate(() => JSON.parse(localStorage.getItem("spip.session")).token);

  // The next push reaches the server, but its answer never reaches the page: the page closes.
  let first;
  const answered = new Promise((resolve) => {
    context.route("**/api/sync/push", async (route) => {
      if (first) return route.continue();
      const response = await route.fetch();
      first = { sent: route.request().postDataJSON(), answer: await response.json() };
      resolve();
      await page.close();
    });
  });
  await visit(page, `${url}/section/about_you`);
  await page.getByLabel("Full name").fill("Sent once");
  await page.getByLabel("Full name").blur();
  await answered;
  const [op] = first.sent.ops;
  assert.equal(op.patch.full_name, "Sent once");
  const application = async () => (await pullAll(token)).find((r) => r.kind === "application");
  // Meanwhile the same answer changes on another device. Applying the resent op again would now
  // give a different answer (a conflict); replaying its stored result gives the first one.
  const firstApplied = await application();
  const elsewhere = await pushChange(token, {
    kind: "application", record: firstApplied.id, baseRev: firstApplied.rev, patch: { full_name: "Changed elsewhere" },
  });
  assert.equal(elsewhere.outcome, "applied");
  const revAfterOther = elsewhere.rev;

  // Reopened: the same op goes again and gets the stored answer.
  const again = await context.newPage();
  const resent = [];
  again.on("request", (request) => {
    if (request.url().endsWith("/api/sync/push")) resent.push(request.postDataJSON());
  });
  const replies = [];
  again.on("response", async (response) => {
    if (response.url().endsWith("/api/sync/push")) replies.push(await response.json());
  });
  await visit(again, url);
  await again.getByRole("status").filter({ hasText: "All changes sent." }).waitFor({ timeout: 15000 });
  const resentOp = resent.flatMap((body) => body.ops).find((o) => o.op_id === op.op_id);
  assert.ok(resentOp, "the unanswered op was sent again, with the same id");
  assert.deepEqual(resentOp.patch, op.patch);
  const reply = replies.flatMap((r) => r.results).find((r) => r.op_id === op.op_id);
  assert.deepEqual(reply.result, first.answer.results[0].result, "the stored result, not a second apply");
  const stored = await application();
  assert.equal(stored.data.full_name, "Changed elsewhere", "the resent op did not overwrite the later change");
  assert.equal(stored.rev, revAfterOther, "applied exactly once");
  await context.close();
});
