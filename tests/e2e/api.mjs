// Setting the scene through the Worker's API, as other people would on their own devices: an
// applicant who has sent an application, a reviewer the programme team invited and assigned.
import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { baseUrl } from "./browser.mjs";

export const OPEN_COHORT = "0190a000-0000-7000-8000-000000000100";
const PROTOCOL = 1;
const SCHEMA = 1;

/**
 * A new id as the app makes them (UUID v7: the time it was made, then random bits), so records
 * made here sort by when they were made, as the app's own do.
 */
export function timeOrderedId() {
  const hex = Date.now().toString(16).padStart(12, "0") + randomUUID().replaceAll("-", "").slice(12);
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Each helper call looks like a different device on a different network (rate limits are per IP). */
function someIp() {
  return `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
}

/**
 * Asks the Worker through its API. Seen once in many runs, `wrangler dev` restarted its runtime
 * in the middle of a request and answered 503 "Your worker restarted mid-request", retrying only
 * GETs itself: every call here is safe to send again (op ids, invitations), so such an answer is
 * reported and the call sent once more.
 */
async function call(path, { body, token, method = body ? "POST" : "GET" } = {}, again = true) {
  const headers = { "content-type": "application/json", "cf-connecting-ip": someIp() };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: body && JSON.stringify(body) });
  const text = await response.text();
  if (response.status === 503 && text.includes("restarted mid-request") && again) {
    console.warn(`${method} ${path}: the local Worker restarted mid-request; sending it again.`);
    return call(path, { body, token, method }, false);
  }
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  try {
    return text ? JSON.parse(text) : null;
  } catch (error) {
    // Seen once in many runs: say which answer it was, and what came, so it can be traced.
    throw new Error(`${method} ${path}: ${response.status}, not JSON (${error.message}): ${text.slice(0, 500)}`);
  }
}

/** The reference an applicant quotes for application `id`, as the app writes it. */
export function referenceOf(id) {
  return `SPIP-${id.replaceAll("-", "").slice(-8).toUpperCase()}`;
}

/** A session for `email`, reading the code from the test Worker (dev switch). */
export async function apiSignIn(email) {
  const { dev_code: code } = await call("/api/auth/code", { body: { email } });
  const { token, me } = await call("/api/auth/verify", { body: { email, code } });
  return { token, me };
}

let team;
/**
 * The demo programme-team member's session, signed in once per run: the demo address may ask for
 * only five codes in a window, and each test file runs in its own process, so the session is kept
 * in a scratch file for the others (and checked, since a new run starts a new database).
 */
export async function teamSession() {
  if (team) return team;
  const kept = join(tmpdir(), `spip-e2e-team-${encodeURIComponent(baseUrl)}.json`);
  try {
    const saved = JSON.parse(readFileSync(kept, "utf8"));
    await call("/api/me", { token: saved.token });
    team = saved;
  } catch {
    team = await apiSignIn("team@example.org");
    writeFileSync(kept, JSON.stringify(team), { mode: 0o600 });
  }
  return team;
}

/** Pushes one change from a new device and returns the server's answer for it. */
export async function pushChange(token, { kind, record, scope = record, baseRev = 0, patch }) {
  const client = randomUUID();
  const op = {
    op_id: randomUUID(), client_id: client, client_seq: 1, record_id: record, kind, scope,
    base_rev: baseRev, patch, schema_version: SCHEMA, created_at: new Date().toISOString(),
  };
  const { results } = await call("/api/sync/push", { body: { protocol: PROTOCOL, client_id: client, ops: [op] }, token });
  return results[0].result;
}

/** The open differences `token` is shown (every page lists them all). */
export async function openConflicts(token) {
  const page = await call("/api/sync/pull?cursor=0&limit=1", { token });
  return page.conflicts;
}

/** Every record `token` may read. */
export async function pullAll(token) {
  let cursor = 0;
  const records = new Map();
  for (;;) {
    const page = await call(`/api/sync/pull?cursor=${cursor}`, { token });
    for (const change of page.changes) records.set(change.id, change);
    cursor = page.cursor;
    if (!page.has_more) return [...records.values()];
  }
}

/** A complete application from a new applicant, sent to the open cohort. */
/** A surname no earlier run used ("Nwosu-Dcbe"): names take letters, not digits. */
export function uniqueSurname() {
  const letters = [...randomUUID().replaceAll("-", "")].map((c) => "abcdefghijklmnop"[parseInt(c, 16)]).slice(0, 6).join("");
  return `Nwosu-${letters[0].toUpperCase()}${letters.slice(1)}`;
}

export async function sentApplication(fullName = "Amara Okafor", idea = "Community champions run coffee mornings in Turkish.", cohort = OPEN_COHORT) {
  const email = `e2e-applicant-${randomUUID().slice(0, 8)}@example.org`;
  const { token } = await apiSignIn(email);
  const id = timeOrderedId();
  const answers = {
    cohort, full_name: fullName, job_title: "Social prescribing link worker",
    organisation: "Hackney Primary Care Network", borough: "hackney", challenge_area: "access_and_experience",
    challenge_in_your_words: "Few referrals reach Turkish-speaking older residents.",
    target_groups: ["older_people"], target_population: "Turkish-speaking residents over 65.",
    proposed_idea: idea,
    coproduction_plan: "Residents design the sessions with us.", impact_plan: "Referrals per month, on a run chart.",
    team_members: [{ name: fullName, job_title: "Link worker" }], line_manager_name: "Jo Smith",
    time_commitment: "Half a day a week", commits_to_mandatory_sessions: true,
    commits_to_sharing_learning: true, line_manager_agrees: true,
  };
  const created = await pushChange(token, { kind: "application", record: id, patch: answers });
  const sent = await pushChange(token, { kind: "application", record: id, baseRev: created.rev, patch: { status: "submitted" } });
  if (sent.outcome !== "applied") throw new Error(`not sent: ${JSON.stringify(sent)}`);
  return { id, token, email };
}

/** A reviewer invited by the programme team and assigned to `application`. */
export async function assignedReviewer(application) {
  const { token: teamToken } = await teamSession();
  const email = `e2e-reviewer-${randomUUID().slice(0, 8)}@example.org`;
  const reviewer = await call("/api/people", { body: { email, display_name: "Dr Ada Board", role: "reviewer" }, token: teamToken });
  await assign(reviewer.id, application);
  return { email, id: reviewer.id };
}

/** Assigns one more application to a reviewer, as the programme team does. */
export async function assign(reviewer, application) {
  const { token } = await teamSession();
  await call(`/api/applications/${application}/reviewers`, { body: { reviewer }, token });
}

/** A new programme-team member, invited by the demo one (so tests do not use up the demo address's sign-in codes). */
export async function newTeamMember() {
  const { token } = await teamSession();
  const email = `e2e-team-${randomUUID().slice(0, 8)}@example.org`;
  await call("/api/people", { body: { email, display_name: "Pat Team", role: "programme_team" }, token });
  return email;
}

/** A review submitted by a newly assigned reviewer, with the same score on every criterion. */
export async function submittedReview(application, score) {
  const reviewer = await assignedReviewer(application);
  const { token } = await apiSignIn(reviewer.email);
  const criteria = ["health_inequalities", "feasible_in_six_months", "co_production", "measuring_impact", "sustainability_and_spread"];
  const scores = Object.fromEntries(criteria.map((c) => [c, { score, comment: "" }]));
  const result = await pushChange(token, { kind: "review", record: randomUUID(), scope: application, patch: { scores, submitted: true } });
  if (result.outcome !== "applied") throw new Error(`review not applied: ${JSON.stringify(result)}`);
  return reviewer;
}

/**
 * A participant whose application the programme team accepted: the project is titled `title`
 * (the first line of the idea); the participant is called `name`, as in their application.
 * Returns the participant's address, session and project id.
 */
export async function acceptedProject(title, cohort = OPEN_COHORT, name = "Sam Lead") {
  const application = await sentApplication(name, title, cohort);
  const { token: teamToken } = await teamSession();
  for (const [baseRev, status] of [[2, "under_review"], [3, "accepted"]]) {
    const result = await pushChange(teamToken, { kind: "application", record: application.id, baseRev, patch: { status } });
    if (result.outcome !== "applied") throw new Error(`not ${status}: ${JSON.stringify(result)}`);
  }
  const project = (await pullAll(application.token)).find((record) => record.kind === "project");
  return { email: application.email, token: application.token, project: project.id };
}

/** A new cohort, open for applications now, made by the programme team through the API. */
export async function newCohort() {
  const { token } = await teamSession();
  const id = randomUUID();
  const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const result = await pushChange(token, {
    kind: "cohort", record: id, patch: {
      name: `Cohort ${id.slice(0, 6)}`, places: 12, award_per_project: 1_000_000,
      applications_open: `${day(-1)}T00:00:00Z`, applications_close: `${day(30)}T00:00:00Z`,
      programme_start: day(40), programme_end: day(220),
      session_plan: { series: [{ kind: "qi_training", count: 4, every_months: 1, first_after_days: 0, duration_minutes: 210, mandatory: true }] },
    },
  });
  if (result.outcome !== "applied") throw new Error(`no cohort: ${JSON.stringify(result)}`);
  return id;
}

/** The first e-mail the stand-in provider received for `address` whose subject matches. */
export async function eventuallyEmailed(address, subject) {
  const { readFile } = await import("node:fs/promises");
  const outbox = process.env.SPIP_MAIL_OUTBOX;
  if (!outbox) throw new Error("SPIP_MAIL_OUTBOX names the stand-in provider's file: run through scripts/test");
  for (let tries = 0; tries < 50; tries += 1) {
    const lines = (await readFile(outbox, "utf8").catch(() => "")).split("\n");
    const found = lines.filter(Boolean).map((line) => JSON.parse(line).body)
      .find((body) => body.to.includes(address) && subject.test(body.subject));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no e-mail to ${address} matching ${subject}`);
}
