// A stand-in for the e-mail provider the Worker sends sign-in codes through (its HTTP API, as
// `api-worker/src/auth/mailer.rs` calls it), since no real provider is reachable from a test
// machine. Usage: node tests/support/mail-provider.mjs PORT OUTBOX_FILE
// Accepts POST /emails with `Authorization: Bearer test-key` and a JSON body, appends
// {authorization, body} as one line to OUTBOX_FILE and answers 200; refuses a wrong key with
// 401, and answers 500 for an address containing "bounce", so the Worker's handling of a failing
// provider can be tested.
import { createServer } from "node:http";
import { appendFileSync } from "node:fs";

const [port, outbox] = process.argv.slice(2);
if (!port || !outbox) throw new Error("usage: mail-provider.mjs PORT OUTBOX_FILE");

createServer((request, response) => {
  let text = "";
  request.on("data", (chunk) => (text += chunk));
  request.on("end", () => {
    const answer = (status, body) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (request.method !== "POST" || request.url !== "/emails") return answer(404, { message: "not found" });
    if (request.headers.authorization !== "Bearer test-key") return answer(401, { message: "bad key" });
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      return answer(422, { message: "not JSON" });
    }
    if ((body.to ?? []).some((address) => address.includes("bounce"))) return answer(500, { message: "bounced" });
    appendFileSync(outbox, JSON.stringify({ authorization: request.headers.authorization, body }) + "\n");
    answer(200, { id: `email-${Date.now()}` });
  });
}).listen(Number(port), "127.0.0.1");
