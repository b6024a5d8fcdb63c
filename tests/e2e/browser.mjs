// Helpers for the end-to-end tests: Debian's Chromium driven by Playwright, the app's address,
// an accessibility check with axe-core, and screenshots for people to look at.
import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import assert from "node:assert/strict";

const require = createRequire(import.meta.url);

/** The app under test, started by scripts/test. */
export const baseUrl = process.env.SPIP_APP_URL ?? failMissing("SPIP_APP_URL");

function failMissing(name) {
  throw new Error(`${name} is not set: run the end-to-end tests with scripts/test, which starts the app`);
}

export const PHONE = { width: 390, height: 844 };
export const LAPTOP = { width: 1280, height: 800 };

/** Chromium with the flags that keep it off the network it cannot reach here. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

/**
 * A fresh browser context (its own storage) at a viewport, with console errors collected. Each
 * context is a device on a network of its own (the address the Worker sees, as Cloudflare would
 * tell it), so the suite's many sign-ins do not add up to one network's sign-in limit.
 */
export async function openPage(browser, viewport = PHONE) {
  const network = `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250)).join(".")}`;
  // In London's English, as the programme's people use it (dates read 28/11/2026).
  const context = await browser.newContext({
    viewport, locale: "en-GB", extraHTTPHeaders: { "cf-connecting-ip": network },
  });
  const page = await context.newPage();
  page.consoleErrors = [];
  page.on("pageerror", (error) => page.consoleErrors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") page.consoleErrors.push(message.text());
  });
  return { context, page };
}

/** Accessibility violations that axe-core finds on the page (WCAG 2.2 A and AA). */
export async function accessibilityViolations(page) {
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"] }),
  );
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length} places)`);
}

/** Saves a full-page screenshot under tests/output/ for a person to look at. */
export async function screenshot(page, name) {
  const folder = new URL("../output/", import.meta.url).pathname;
  mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: `${folder}${name}.png`, fullPage: true });
}

/** A new address: each test signs up its own applicant (an address may ask for 5 codes in 15 minutes). */
export function newApplicant() {
  const name = `e2e-${Math.random().toString(36).slice(2, 10)}`;
  return { email: `${name}@example.org`, signedIn: `Signed in as ${name}, Applicant.` };
}

/** Fills in the sign-in page, reading the code that the test Worker returns (dev switch). */
export async function enterCode(page, email) {
  await page.getByLabel("Email address").fill(email);
  const codeSent = page.waitForResponse((response) => response.url().endsWith("/api/auth/code"));
  await page.getByRole("button", { name: "Send me a code" }).click();
  const { dev_code: code } = await (await codeSent).json();
  await page.getByLabel(/Enter the code we sent to/).fill(code);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Signed in once the session is on the device (a navigation before that would lose it).
  await page.waitForFunction(() => localStorage.getItem("spip.session") !== null);
}

/**
 * Opens a page of the app (the home page unless told). Now and then (about one full run in four)
 * `wrangler dev` leaves one of the page's files unanswered, and the page never finishes loading;
 * the app is not involved (it is a static file, such as /style/app.css, from the local server).
 * So a load that has not finished in 15 s is reported, naming the requests still unanswered, and
 * tried once more. Every journey opens its pages through here.
 */
export async function visit(page, url = baseUrl) {
  const started = Date.now();
  const pending = new Map();
  const track = (request) => pending.set(request, Date.now() - started);
  const done = (request) => pending.delete(request);
  page.on("request", track);
  page.on("requestfinished", done);
  page.on("requestfailed", done);
  try {
    await page.goto(url, { timeout: 15000 });
  } catch (error) {
    const unanswered = [...pending].map(([r, at]) => `${r.method()} ${r.url()} (asked at ${at} ms)`);
    console.warn(`${url} did not load in 15 s (${error.message.split("\n")[0]}); still unanswered: ${unanswered.join("; ") || "nothing"}. Loading it again.`);
    await page.goto(url);
  } finally {
    page.off("request", track);
    page.off("requestfinished", done);
    page.off("requestfailed", done);
  }
}

/**
 * Signs in from the home page. Once in a full run the sign-in page was seen not to show within
 * 30 s of following the link (and not again in many runs since): if it has not shown in 15 s,
 * what the page shows and its errors are reported, and the sign-in page is opened afresh.
 */
export async function signIn(page, email) {
  await visit(page);
  await page.getByRole("link", { name: "Sign in" }).click();
  try {
    await page.getByLabel("Email address").waitFor({ timeout: 15000 });
  } catch (error) {
    const shown = (await page.locator("body").innerText().catch(() => "")).slice(0, 400);
    console.warn(`the sign-in page did not show in 15 s at ${page.url()}; the page showed ${JSON.stringify(shown)}, errors ${JSON.stringify(page.consoleErrors ?? [])}. Opening it again.`);
    await visit(page, `${baseUrl}/sign-in`);
  }
  await enterCode(page, email);
}

/**
 * Every date under the page's run chart can be read whole: none runs off the chart's edges and
 * none runs into the next (as drawn, in this browser's font, at this page's width).
 */
export async function assertChartDatesReadable(page) {
  const dates = await page.locator(".spip-chart__svg").evaluate((svg) => {
    const box = svg.getBoundingClientRect();
    return [...svg.querySelectorAll("text")]
      .filter((text) => text.getBoundingClientRect().top > box.top + box.height * 0.85)
      .map((text) => ({ text: text.textContent, ...text.getBoundingClientRect().toJSON(), edges: [box.left, box.right] }));
  });
  assert.ok(dates.length >= 3, JSON.stringify(dates));
  for (const [index, date] of dates.entries()) {
    assert.ok(date.left >= date.edges[0] && date.right <= date.edges[1], `“${date.text}” runs off the chart`);
    if (index > 0) assert.ok(dates[index - 1].right < date.left, `“${dates[index - 1].text}” runs into “${date.text}”`);
  }
}

/** Record `id` as the device behind `page` holds it, read from its storage (undefined if it has none). */
export function recordOnDevice(page, id) {
  return page.evaluate(async (id) => {
    const person = JSON.parse(localStorage.getItem("spip.session")).me.id;
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open(`spip-${person}`);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const record = await new Promise((resolve) => {
      const request = db.transaction("records").objectStore("records").get(id);
      request.onsuccess = () => resolve(request.result);
    });
    db.close();
    return record;
  }, id);
}
