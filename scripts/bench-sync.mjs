// Sync benchmarks against a running Worker (SPIP_API_URL) with the dev switch on: push
// throughput, pull throughput and push latency under a bounded concurrent load. Prints figures;
// asserts nothing. Loopback only; every loop is bounded.
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";

const base = process.env.SPIP_API_URL ?? (() => { throw new Error("SPIP_API_URL is not set"); })();
const cohort = "0190a000-0000-7000-8000-000000000100";
const json = (body) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

async function signIn(email) {
  const code = (await (await fetch(`${base}/api/auth/code`, json({ email }))).json()).dev_code;
  const session = await (await fetch(`${base}/api/auth/verify`, json({ email, code }))).json();
  return session.token;
}

// UUID v7-shaped ids (time-ordered), as the app makes them.
let counter = 0;
function id() {
  const hex = (Date.now().toString(16).padStart(12, "0") + (counter++).toString(16).padStart(4, "0")).slice(-16);
  const rest = randomUUID().replace(/-/g, "").slice(16);
  const raw = hex.slice(0, 12) + "7" + hex.slice(13, 16) + "8" + rest.slice(1, 16);
  return `${raw.slice(0, 8)}-${raw.slice(8, 12)}-${raw.slice(12, 16)}-${raw.slice(16, 20)}-${raw.slice(20, 32)}`;
}

const client = id();
let seq = 0;
function sessionOp(number) {
  const record = id();
  return {
    op_id: id(), client_id: client, client_seq: ++seq, record_id: record, kind: "session", scope: cohort,
    base_rev: 0, schema_version: 1, created_at: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    patch: { kind: "drop_in", number: number % 200 + 1, date: "2027-03-01", duration_minutes: 90, mandatory: false },
  };
}

async function push(token, ops) {
  const response = await fetch(`${base}/api/sync/push`, {
    ...json({ protocol: 1, client_id: client, ops }),
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
  });
  const body = await response.json();
  const applied = body.results?.filter((r) => r.result.outcome === "applied").length ?? 0;
  if (applied !== ops.length) throw new Error(`push: ${JSON.stringify(body).slice(0, 300)}`);
}

const token = await signIn("team@example.org");
const figures = [];

// CPU time used by workerd (the Worker and, locally, D1's SQLite too), from /proc: an upper bound
// on a request's CPU time on Cloudflare, where D1 runs elsewhere. Null where /proc is missing.
function workerdCpuMs() {
  try {
    const clockTick = 10; // ms per clock tick (USER_HZ = 100 on Linux)
    return readdirSync("/proc").filter((pid) => /^\d+$/.test(pid)).reduce((sum, pid) => {
      try {
        if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("workerd")) return sum;
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
        return sum + (Number(fields[11]) + Number(fields[12])) * clockTick;
      } catch { return sum; }
    }, 0);
  } catch { return null; }
}

async function throughput(label, total, size, inFlight) {
  const cpuBefore = workerdCpuMs();
  const started = performance.now();
  for (let sent = 0; sent < total; sent += size * inFlight) {
    const requests = [];
    for (let i = 0; i < inFlight && sent + i * size < total; i++) {
      requests.push(push(token, Array.from({ length: size }, (_, k) => sessionOp(sent + i * size + k))));
    }
    await Promise.all(requests);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuBefore === null ? "" : `; workerd CPU ${((workerdCpuMs() - cpuBefore) / (total / size)).toFixed(1)} ms per request`;
  figures.push([label, `${Math.round(total / seconds)} ops/s (${total} ops in ${seconds.toFixed(1)} s${cpu})`]);
}

await throughput("push, 20 ops per request, one at a time", 2000, 20, 1);
await throughput("push, 100 ops per request, one at a time", 4000, 100, 1);
await throughput("push, 500 ops per request, one at a time", 6000, 500, 1);
await throughput("push, 100 ops per request, five at once", 8000, 100, 5);
await throughput("push, 500 ops per request, five at once", 10000, 500, 5);

// Pull everything the programme team sees (the 30,000 records above plus the demo data), in
// pages of 1,000 and in pages of 2,000 (what the app asks for).
async function pullEverything(limit) {
  const started = performance.now();
  let cursor = 0, records = 0, pages = 0;
  for (;;) {
    const page = await (await fetch(`${base}/api/sync/pull?cursor=${cursor}&limit=${limit}`, { headers: { authorization: `Bearer ${token}` } })).json();
    records += page.changes.length; pages++; cursor = page.cursor;
    if (!page.has_more || pages > 1000) break;
  }
  return { records, seconds: (performance.now() - started) / 1000 };
}
await pullEverything(2000); // not timed: so that neither size reads a cold database
for (const limit of [1000, 2000]) {
  const { records, seconds } = await pullEverything(limit);
  figures.push([`pull, pages of ${limit.toLocaleString("en-GB")}`, `${Math.round(records / seconds)} records/s (${records} records in ${seconds.toFixed(2)} s)`]);
}

// Latency of a 20-op push with 8 pushes in flight, 200 pushes in all.
{
  const times = [];
  let next = 0;
  async function worker() {
    while (next < 200) {
      next++;
      const ops = Array.from({ length: 20 }, (_, k) => sessionOp(k));
      const started = performance.now();
      await push(token, ops);
      times.push(performance.now() - started);
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker));
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(0);
  figures.push(["20-op push latency, 8 in flight", `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms (${times.length} pushes)`]);
}

for (const [label, value] of figures) console.log(`  ${label.padEnd(44)} ${value}`);
