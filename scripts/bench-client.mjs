// The offline client's figures, measured in headless Chromium against a running Worker
// (SPIP_APP_URL, with the dev switch on): a save committed to IndexedDB, 1,000 queued ops pushed
// end to end, a first pull of every record into IndexedDB, and an offline cold start from the
// service worker. Prints figures; asserts nothing. Every wait is bounded.
import { launch, openPage, PHONE, LAPTOP, enterCode } from "../tests/e2e/browser.mjs";

const base = process.env.SPIP_APP_URL ?? (() => { throw new Error("SPIP_APP_URL is not set"); })();
const cohort = "0190a000-0000-7000-8000-000000000100";
const LONG = { timeout: 300_000 };

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function signUp(page) {
  await page.goto(`${base}/sign-in`);
  await enterCode(page, `bench-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.org`);
}

const browser = await launch();
try {
  // 1. A save, from the write starting to its transaction committing (the app's "spip:save").
  {
    const { context, page } = await openPage(browser, PHONE);
    await signUp(page);
    await page.goto(`${base}/apply/new?cohort=${cohort}`);
    await page.getByText("You have completed 0 of 8 sections.").waitFor();
    await page.getByRole("link", { name: "About you" }).click();
    const field = page.getByLabel("Full name");
    for (let n = 0; n < 200; n += 1) {
      await field.press(n % 2 ? "a" : "b");
      await field.blur(); // written at once, not 300 ms later
      await page.waitForFunction((count) => performance.getEntriesByName("spip:save").length >= count, n + 1);
      await field.focus();
    }
    const times = (await page.evaluate(() => performance.getEntriesByName("spip:save").map((e) => e.duration)))
      .sort((a, b) => a - b);
    console.log(`  save committed to IndexedDB (${times.length} saves): p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms (goal p95 <= 5 ms)`);
    await context.close();
  }

  // 2. 1,000 ops queued offline, pushed once the network is back: until the outbox is empty.
  {
    const { context, page } = await openPage(browser, PHONE);
    await signUp(page);
    await page.goto(`${base}/apply/new?cohort=${cohort}`);
    await page.getByText("You have completed 0 of 8 sections.").waitFor();
    await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor();
    await context.setOffline(true);
    await page.getByRole("link", { name: "About you" }).click();
    await page.getByLabel("Full name").fill("Queued");
    await page.getByLabel("Full name").blur();
    await page.getByRole("status").filter({ hasText: /^Saved on this device$/ }).waitFor();
    // 999 more drafts, each its own record, cloned from the op the app itself queued.
    await page.evaluate(async () => {
      const { me } = JSON.parse(localStorage.getItem("spip.session"));
      const db = await new Promise((resolve, reject) => {
        const request = indexedDB.open(`spip-${me.id}`);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const tx = db.transaction("outbox", "readwrite");
      const outbox = tx.objectStore("outbox");
      const [model] = await new Promise((resolve) => { const r = outbox.getAll(); r.onsuccess = () => resolve(r.result); });
      for (let n = 1; n < 1000; n += 1) {
        const entry = structuredClone(model);
        const record = crypto.randomUUID();
        Object.assign(entry.op, { op_id: crypto.randomUUID(), record_id: record, scope: record, base_rev: 0, client_seq: model.op.client_seq + n });
        outbox.put(entry);
      }
      await new Promise((resolve) => { tx.oncomplete = resolve; });
      db.close();
    });
    await page.goto(`${base}/`);
    await page.getByText("1000 changes to send when you are back online", { exact: false }).waitFor(LONG);
    const started = Date.now();
    await context.setOffline(false);
    await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor(LONG);
    const seconds = (Date.now() - started) / 1000;
    // The app's own measure of the round's pushes: from taking the first ops out of the outbox
    // to storing the last answers (the status line then also waits for the pull that follows).
    const pushed = await page.evaluate(() => performance.getEntriesByName("spip:push").at(-1)?.duration ?? NaN) / 1000;
    console.log(`  1,000 queued ops pushed end to end: ${pushed.toFixed(2)} s, ${Math.round(1000 / pushed)} ops/s (goal >= 5,000 ops/s); ${seconds.toFixed(1)} s until the status line says all is sent`);
    await context.close();
  }

  // 3. The programme team's first sync into IndexedDB; 4. an offline cold start.
  {
    const { context, page } = await openPage(browser, LAPTOP);
    await page.goto(`${base}/sign-in`);
    const started = Date.now();
    await enterCode(page, "team@example.org");
    await page.getByRole("status").filter({ hasText: "All changes sent." }).waitFor(LONG);
    const seconds = (Date.now() - started) / 1000;
    const records = await page.evaluate(async () => {
      const { me } = JSON.parse(localStorage.getItem("spip.session"));
      const db = await new Promise((resolve) => { const r = indexedDB.open(`spip-${me.id}`); r.onsuccess = () => resolve(r.result); });
      const count = await new Promise((resolve) => { const r = db.transaction("records").objectStore("records").count(); r.onsuccess = () => resolve(r.result); });
      db.close();
      return count;
    });
    // The app's own measure of the pull: from the first request to the last page stored.
    const pulled = await page.evaluate(() => Math.max(...performance.getEntriesByName("spip:pull").map((e) => e.duration))) / 1000;
    console.log(`  first sync of ${records} records into IndexedDB: pulled and stored in ${pulled.toFixed(2)} s, ${Math.round(records / pulled)} records/s (goal >= 20,000 records/s); ${seconds.toFixed(1)} s from entering the code to the status line`);

    // For scale: the same records written by IndexedDB alone, in transactions of 1,000 into a
    // scratch database, with no network, no Worker and no app code. What the first sync adds to
    // this is the Worker's pages and reading them.
    const alone = await page.evaluate(async () => {
      const { me } = JSON.parse(localStorage.getItem("spip.session"));
      const done = (request) => new Promise((resolve, reject) => { request.onsuccess = () => resolve(request.result); request.onerror = () => reject(request.error); });
      const db = await done(indexedDB.open(`spip-${me.id}`));
      const all = await done(db.transaction("records").objectStore("records").getAll());
      db.close();
      const scratchName = `scratch-${Date.now()}`;
      const open = indexedDB.open(scratchName, 1);
      open.onupgradeneeded = () => open.result.createObjectStore("records", { keyPath: "id" });
      const scratch = await done(open);
      const started = performance.now();
      for (let from = 0; from < all.length; from += 1000) {
        const tx = scratch.transaction("records", "readwrite", { durability: "relaxed" });
        const store = tx.objectStore("records");
        for (const record of all.slice(from, from + 1000)) store.put(record);
        await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onabort = () => reject(tx.error); });
      }
      const seconds = (performance.now() - started) / 1000;
      scratch.close();
      indexedDB.deleteDatabase(scratchName);
      return { count: all.length, seconds };
    });
    console.log(`  for scale, IndexedDB alone writing the same ${alone.count} records in transactions of 1,000: ${alone.seconds.toFixed(2)} s, ${Math.round(alone.count / alone.seconds)} records/s`);

    await page.evaluate(() => navigator.serviceWorker.ready);
    await context.setOffline(true);
    const runs = [];
    for (let n = 0; n < 5; n += 1) {
      const cold = await context.newPage();
      await cold.goto(`${base}/`);
      await cold.getByRole("status").filter({ hasText: "Offline." }).waitFor(LONG);
      runs.push(await cold.evaluate(() => performance.now()));
      await cold.close();
    }
    runs.sort((a, b) => a - b);
    console.log(`  offline cold start, service worker to the status line (5 runs): median ${Math.round(percentile(runs, 50))} ms (goal <= 1 s)`);
    await context.close();
  }
} finally {
  await browser.close();
}
