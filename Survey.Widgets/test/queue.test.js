// The offline queue: order, save numbers, retries, offline waiting, persistence across a reload.
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import jsdom from "global-jsdom";

jsdom(undefined, { url: "https://shop.test/checkout" });
globalThis.addEventListener = window.addEventListener.bind(window);
globalThis.dispatchEvent = window.dispatchEvent.bind(window);
let online = true;
Object.defineProperty(navigator, "onLine", { configurable: true, get: () => online });

const calls = [];
let answer = () => ({ status: 200, body: {} });
globalThis.fetch = async (url, init) => {
  calls.push({ url, method: init.method, body: JSON.parse(init.body) });
  const a = answer(url, init);
  if (a instanceof Error) throw a;
  return { status: a.status, headers: new Map([["retry-after", a.retryAfter]]), json: async () => a.body };
};

const { send, flush, listen, pending } = await import("../src/queue.js");
const state = (id = "r1") => ({ api: "https://api.test/", id, seq: 0 });
const stored = () => JSON.parse(localStorage.getItem("sw:q"));

beforeEach(async () => {
  online = true;
  answer = () => ({ status: 200, body: {} });
  await flush();
  calls.length = 0;
});

test("writes are sent in order, numbered 1, 2, 3, and leave nothing behind", async () => {
  const s = state();
  send(s, "start", { source: { kind: "link", linkId: "L" }, channel: "web" });
  send(s, "save", { answers: { nps: 3 } });
  await flush();
  send(s, "save", { answers: { wrong: ["wait"] } });
  send(s, "complete", { answers: { comment: "slow" } });
  await flush();
  assert.deepEqual(calls.map((c) => [c.method, c.url, c.body.sequence]), [
    ["PUT", "https://api.test/api/public/responses/r1", undefined],
    ["POST", "https://api.test/api/public/responses/r1/saves", 1],
    ["POST", "https://api.test/api/public/responses/r1/saves", 2],
    ["POST", "https://api.test/api/public/responses/r1/complete", 3],
  ]);
  assert.equal(s.seq, 3);
  assert.equal(pending(), 0);
  assert.equal(stored(), null);
});

test("saves made before the previous one was tried are merged into one request", async () => {
  const s = state();
  send(s, "save", { answers: { nps: 3 } });
  send(s, "save", { answers: { nps: 4, wrong: ["price"] } });
  await flush();
  assert.deepEqual(calls.map((c) => c.body), [{ answers: { nps: 4, wrong: ["price"] }, sequence: 1 }]);
});

test("offline, nothing is sent and everything waits in localStorage until the online event", async () => {
  online = false;
  const seen = [];
  const stop = listen((e, status) => seen.push(status));
  const s = state("r2");
  send(s, "start", {});
  send(s, "save", { answers: { nps: 9 } });
  await flush();
  assert.equal(calls.length, 0);
  assert.deepEqual(seen, [0]);
  assert.equal(stored().length, 2);
  online = true;
  dispatchEvent(new window.Event("online"));
  await new Promise((r) => setTimeout(r, 10));
  await flush();
  assert.deepEqual(calls.map((c) => c.method), ["PUT", "POST"]);
  assert.equal(stored(), null);
  stop();
});

test("a failed request is retried with the same body and number, and a later save never changes it", async () => {
  const s = state("r3");
  let fail = true;
  answer = () => (fail ? new TypeError("Failed to fetch") : { status: 200, body: {} });
  send(s, "save", { answers: { nps: 1 } });
  await flush();
  send(s, "save", { answers: { nps: 2 } }); // the first was tried: this one gets its own number
  fail = false;
  await flush();
  assert.deepEqual(calls.map((c) => [c.body.sequence, c.body.answers.nps]), [[1, 1], [1, 1], [2, 2]]);
});

test("server errors and 429 are retried; other refusals are dropped and reported with the problem", async () => {
  const s = state("r4");
  const seen = [];
  const stop = listen((e, status, body) => e && seen.push([status, body?.errors]));
  const answers = [{ status: 503 }, { status: 429, retryAfter: "1" }, { status: 400, body: { errors: { nps: ["11 is outside 0-10."] } } }, { status: 200 }];
  answer = () => answers.shift();
  send(s, "save", { answers: { nps: 11 } });
  send(s, "complete", { answers: {} });
  await flush();
  await flush();
  await flush();
  assert.deepEqual(seen, [[0, undefined], [0, undefined], [400, { nps: ["11 is outside 0-10."] }], [200, undefined]]);
  assert.equal(pending(), 0);
  stop();
});

test("what a page left in the queue is sent by the next page", async () => {
  online = false;
  const s = state("r5");
  send(s, "start", {});
  send(s, "save", { answers: { nps: 10 } });
  await flush();
  online = true;
  // a new page load: a fresh module reads the queue from localStorage
  const reloaded = await import("../src/queue.js?reload");
  assert.equal(reloaded.pending("r5"), 2);
  await reloaded.flush();
  assert.deepEqual(calls.map((c) => c.url), ["https://api.test/api/public/responses/r5", "https://api.test/api/public/responses/r5/saves"]);
});
