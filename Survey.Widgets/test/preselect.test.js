// The hosted page opened from an email's 0-10 link (/s/{token}?ch=email&score=7): the built page.js in a simulated page.
// The score shows as chosen, but nothing is sent (mail scanners open every link) until the respondent confirms it:
// choosing it again, choosing another score, or Next.
import { test } from "node:test";
import assert from "node:assert/strict";
import jsdom from "global-jsdom";

const data = {
  questionnaireId: "0195f000-0000-7000-8000-000000000001", version: 1,
  source: { kind: "invitation", token: "tok" }, locale: "en", locales: ["en"], title: "Your visit", description: null, pageCount: 2,
  questions: [
    { id: "nps", type: "nps", page: 1, text: "How likely?", required: true, scale: { min: 0, max: 10, minLabel: "Not at all likely", maxLabel: "Extremely likely" } },
    { id: "comment", type: "freeText", page: 2, text: "Why {nps}?", maxLength: 500 },
  ],
  theme: {}, response: null,
};
jsdom(
  `<!doctype html><html lang="en"><body><main id="survey"><fieldset>server markup</fieldset></main>` +
    `<script type="application/json" id="survey-data">${JSON.stringify(data)}</script>` +
    `<script type="application/json" id="survey-preselect">{"nps":7}</script></body></html>`,
  { url: "https://surveys.test/s/tok?ch=email&score=7" },
);
globalThis.addEventListener = window.addEventListener.bind(window);
globalThis.matchMedia = () => ({ matches: false });

const calls = [];
globalThis.fetch = async (url, init) => {
  calls.push({ url, method: init.method, body: JSON.parse(init.body) });
  return { status: 200, headers: new Map(), json: async () => ({}) };
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

await import("../dist/widget/v1/page.js");
const root = document.querySelector("main#survey > cx-survey").shadowRoot;
const radio = (r, n) => r.querySelector(`input[type=radio][value="${n}"]`);

/** Another survey component on the page, as page.js mounts it, with its own state. */
const mount = (scope, preselect) => {
  const el = document.createElement("cx-survey");
  el.o = { api: "https://surveys.test/", data, scope, mode: "page", lang: "en", channel: "email", preselect };
  document.body.append(el);
  return el.shadowRoot;
};

test("loading the page sends nothing and stores nothing, and shows 7 chosen with a hint tied to the question", async () => {
  await settle();
  assert.equal(calls.length, 0);
  assert.equal(localStorage.getItem("sw:q"), null);
  assert.equal(localStorage.getItem("sw:s:t:tok"), null);
  assert.ok(radio(root, 7).checked);
  assert.equal(root.querySelectorAll("input:checked").length, 1);
  const group = root.querySelector("fieldset[role=radiogroup]");
  const hint = root.getElementById(group.getAttribute("aria-describedby").split(" ")[0]);
  assert.equal(hint.textContent, "7 is not sent yet: choose it again or press “Next” to send it.");
  assert.equal(hint.hidden, false);
});

test("choosing the preselected score again starts the response (channel email) and saves it, once", async () => {
  radio(root, 7).click();
  radio(root, 7).click();
  await settle();
  assert.deepEqual(calls.map((c) => [c.method, c.url.replace(/^.*\/api\//, "/api/").replace(/[0-9a-f-]{36}/, "{id}")]), [
    ["PUT", "/api/public/responses/{id}"],
    ["POST", "/api/public/responses/{id}/saves"],
  ]);
  assert.equal(calls[0].body.channel, "email");
  assert.deepEqual(calls[0].body.source, { kind: "invitation", token: "tok" });
  assert.deepEqual(calls[1].body, { answers: { nps: 7 }, sequence: 1 });
  assert.equal(root.querySelector(".qd").hidden, true);
});

test("choosing another score is one tap, as usual", async () => {
  calls.length = 0;
  const r = mount("t:other", { nps: 9 });
  await settle();
  assert.ok(radio(r, 9).checked);
  assert.equal(calls.length, 0);
  radio(r, 3).click();
  await settle();
  assert.deepEqual(calls.map((c) => c.body.answers), [undefined, { nps: 3 }]);
});

test("Next sends the preselected score with the page", async () => {
  calls.length = 0;
  const r = mount("t:next", { nps: 10 });
  await settle();
  assert.equal(calls.length, 0);
  r.querySelector("button[type=submit]").click();
  await settle();
  assert.deepEqual(calls.map((c) => c.body.answers), [undefined, { nps: 10 }]);
  assert.equal(r.querySelector("label.lb").textContent.startsWith("Why 10?"), true);
});

test("a preselect out of the scale, of another question or of the wrong type is ignored", async () => {
  for (const [scope, preselect] of [["t:a", { nps: 11 }], ["t:b", { comment: 3 }], ["t:c", { nps: "7" }], ["t:d", { nps: 6.5 }]]) {
    const r = mount(scope, preselect);
    assert.equal(r.querySelectorAll("input:checked").length, 0, scope);
    assert.equal(r.querySelector(".qd"), null, scope);
  }
});

test("a response already started on this device keeps its own answer", async () => {
  calls.length = 0;
  const first = mount("t:started", { nps: 8 });
  radio(first, 8).click();
  await settle();
  assert.equal(calls.length, 2);
  const again = mount("t:started", { nps: 2 });
  assert.ok(radio(again, 8).checked);
  radio(again, 8).click();
  await settle();
  assert.equal(calls.length, 2);
});
