// The cohort overview at scale: response time of GET /api/cohorts/{id}/overview on the Worker
// with local D1 holding 100 cohorts, and the programme team's first full sync. Prints figures.
const base = process.env.SPIP_API_URL ?? (() => { throw new Error("SPIP_API_URL is not set"); })();
const cohort = process.env.SPIP_COHORT ?? (() => { throw new Error("SPIP_COHORT is not set"); })();
const json = (body) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const code = (await (await fetch(`${base}/api/auth/code`, json({ email: "team@example.org" }))).json()).dev_code;
const { token } = await (await fetch(`${base}/api/auth/verify`, json({ email: "team@example.org", code }))).json();
const auth = { headers: { authorization: `Bearer ${token}` } };

const times = [];
let rows = 0;
for (let i = 0; i < 30; i++) {
  const started = performance.now();
  const overview = await (await fetch(`${base}/api/cohorts/${cohort}/overview`, auth)).json();
  times.push(performance.now() - started);
  rows = overview.rows.length;
}
times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(0);
console.log(`  ${"cohort overview (12 projects, of 100 cohorts)".padEnd(44)} p50 ${at(0.5)} ms, p95 ${at(0.95)} ms (${rows} rows, 30 requests)`);

const started = performance.now();
let cursor = 0, records = 0;
for (let pages = 0; pages < 1000; pages++) {
  const page = await (await fetch(`${base}/api/sync/pull?cursor=${cursor}`, auth)).json();
  records += page.changes.length; cursor = page.cursor;
  if (!page.has_more) break;
}
const seconds = (performance.now() - started) / 1000;
console.log(`  ${"team's first full sync (every cohort)".padEnd(44)} ${seconds.toFixed(1)} s (${records} records, ${Math.round(records / seconds)} records/s)`);

// The overview drawn in headless Chromium at a laptop's size: from its data arriving to the next
// frame (the app's "spip:overview:render" measure), after the team's first sync into the browser.
const { launch, openPage, LAPTOP, enterCode } = await import("../tests/e2e/browser.mjs");
const browser = await launch();
try {
  const { page } = await openPage(browser, LAPTOP);
  const syncStarted = performance.now();
  await page.goto(`${base}/sign-in`);
  await enterCode(page, "team@example.org");
  await page.getByText(/^All changes sent\./).waitFor({ timeout: 600_000 });
  const syncSeconds = (performance.now() - syncStarted) / 1000;
  console.log(`  ${"team's first sync into the browser".padEnd(44)} ${syncSeconds.toFixed(1)} s (every cohort, into IndexedDB)`);
  const renders = [];
  for (let i = 0; i < 7; i++) {
    await page.goto(`${base}/cohorts/${cohort}/overview`);
    await page.locator(".spip-overview tbody tr").nth(11).waitFor({ timeout: 60_000 });
    const measured = await page.waitForFunction(() => {
      const [entry] = performance.getEntriesByName("spip:overview:render");
      return entry?.duration;
    }, null, { timeout: 60_000 });
    renders.push(await measured.jsonValue());
  }
  renders.sort((a, b) => a - b);
  console.log(`  ${"cohort overview drawn in Chromium".padEnd(44)} median ${renders[3].toFixed(0)} ms, worst ${renders[6].toFixed(0)} ms (12 rows and 4 charts, 7 loads; goal <= 100 ms)`);
} finally {
  await browser.close();
}
