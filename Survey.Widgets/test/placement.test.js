// When a placement shows: the pure rules, and the built loader in a simulated page (time, URL, event queued before
// the loader arrived, scroll, recontact rest, resuming a survey under way).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import jsdomPackage from "jsdom";
import { ready, resting, scrolled, urlMatches } from "../src/rules.js";

const at = (href) => new URL(href);

test("URL patterns: * is any run of characters; the path unless the pattern is a full URL", () => {
  assert.ok(urlMatches("/checkout/*", at("https://shop.test/checkout/done?x=1")));
  assert.ok(!urlMatches("/checkout/*", at("https://shop.test/checkout")));
  assert.ok(urlMatches("/checkout*", at("https://shop.test/checkout")));
  assert.ok(urlMatches("*/thanks", at("https://shop.test/a/b/thanks")));
  assert.ok(!urlMatches("/thanks", at("https://shop.test/thanks/more")));
  assert.ok(urlMatches("/p/(1).html", at("https://shop.test/p/(1).html")));
  assert.ok(!urlMatches("/p/a.html", at("https://shop.test/p/aXhtml")));
  assert.ok(urlMatches("https://shop.test/*?step=2", at("https://shop.test/cart?step=2")));
  assert.ok(!urlMatches("https://shop.test/*", at("https://other.test/cart")));
});

test("recontact: resting for N days after answering or dismissing", () => {
  const day = 864e5, now = Date.UTC(2026, 10, 2);
  assert.equal(resting(null, 90, now), false);
  assert.equal(resting(now - 89 * day, 90, now), true);
  assert.equal(resting(now - 90 * day, 90, now), false);
  assert.equal(resting(now - 1000, 0, now), false);
});

test("scroll depth counts the bottom of the viewport; a page that fits is fully read", () => {
  const d = (h) => ({ documentElement: { scrollHeight: h } });
  assert.equal(scrolled({ innerHeight: 800, scrollY: 0 }, d(600)), 100);
  assert.equal(scrolled({ innerHeight: 500, scrollY: 0 }, d(1000)), 50);
  assert.equal(scrolled({ innerHeight: 500, scrollY: 250 }, d(1000)), 75);
});

test("every condition given must hold", () => {
  const ctx = (over = {}) => ({ location: at("https://shop.test/checkout/done"), events: {}, scrolled: () => 10, ...over });
  assert.ok(ready({}, ctx()));
  assert.ok(ready({ afterSeconds: 5 }, ctx()));
  assert.ok(ready({ urlPattern: "/checkout/*" }, ctx()));
  assert.ok(!ready({ urlPattern: "/cart" }, ctx()));
  assert.ok(!ready({ event: "checkout_completed" }, ctx()));
  assert.ok(ready({ event: "checkout_completed" }, ctx({ events: { checkout_completed: {} } })));
  assert.ok(!ready({ scrollPercent: 50 }, ctx()));
  assert.ok(ready({ scrollPercent: 50 }, ctx({ scrolled: () => 60 })));
  assert.ok(!ready({ urlPattern: "/checkout/*", event: "checkout_completed", scrollPercent: 5 }, ctx({ scrolled: () => 60 })));
});

// --- the built loader in a page ---
const loaderJs = readFileSync(new URL("../dist/widget/v1/loader.js", import.meta.url), "utf8");
// a stand-in for widget.js that records what the loader asks it to show
const fakeWidget = "surveyWidget.mount = (p, key, api) => { (window.mounted ||= []).push([p.id, key, api, Date.now()]); return true; };";

const { JSDOM, requestInterceptor } = jsdomPackage;
const files = () => {
  const requested = [];
  const interceptor = requestInterceptor((request) => {
    requested.push(request.url);
    const js = request.url.endsWith("/loader.js") ? loaderJs : request.url.endsWith("/widget.js") ? fakeWidget : "";
    return new Response(js, { headers: { "Content-Type": "application/javascript" } });
  });
  return { requested, resources: { interceptors: [interceptor] } };
};

const page = async ({ url = "https://shop.test/checkout/done", placements, before = "", storage = {}, setup = () => {} }) => {
  const { requested, resources } = files();
  const dom = new JSDOM(
    `<!doctype html><html lang="en"><body><div id="box"></div><script>${before}</script>` +
      `<script src="https://api.test/widget/v1/loader.js" data-key="pk_test"></script></body></html>`,
    {
      url, runScripts: "dangerously", resources, pretendToBeVisual: true,
      beforeParse(w) {
        setup(w);
        for (const [k, v] of Object.entries(storage)) w.localStorage.setItem(k, JSON.stringify(v));
        w.fetched = [];
        w.fetch = async (u) => (w.fetched.push(u), { json: async () => ({ publicKey: "pk_test", placements }) });
      },
    },
  );
  await new Promise((r) => dom.window.addEventListener("load", r));
  // plain copies of what the page recorded (arrays of another realm do not compare equal)
  const w = dom.window;
  Object.defineProperty(w, "shown", { get: () => w.mounted && JSON.parse(JSON.stringify(w.mounted)) });
  return { w, resources: { requested } };
};
const settle = (ms = 30) => new Promise((r) => setTimeout(r, ms));
const placement = (id, show, extra = {}) => ({ id, mode: "popover", show, recontactDays: 90, theme: {}, ...extra });

test("the loader reads the placements of its key from the API next to it and shows a placement with no conditions at once", async () => {
  const { w, resources } = await page({ placements: [placement("now", {})] });
  await settle();
  assert.deepEqual([...w.fetched], ["https://api.test/api/public/widget/pk_test"]);
  assert.deepEqual(w.shown.map((m) => m.slice(0, 3)), [["now", "pk_test", "https://api.test/"]]);
  assert.ok(resources.requested.includes("https://api.test/widget/v1/widget.js"));
});

test("the widget bundle is not loaded while no placement is due", async () => {
  const { w, resources } = await page({ placements: [placement("later", { event: "never_sent" }), placement("elsewhere", { urlPattern: "/cart" })] });
  await settle();
  assert.equal(w.mounted, undefined);
  assert.ok(!resources.requested.some((u) => u.endsWith("/widget.js")));
});

test("an event tracked before the loader arrived is queued and shows its placement; afterSeconds counts from it", async () => {
  const stub = `window.surveyWidget = window.surveyWidget || { q: [], track: function () { this.q.push(["track", arguments]); } };
    surveyWidget.track("checkout_completed", { orderId: "A-1" });`;
  const started = Date.now();
  const { w } = await page({ before: stub, placements: [placement("checkout", { event: "checkout_completed", afterSeconds: 0.2 }), placement("other", { event: "x" })] });
  await settle(50);
  assert.equal(w.mounted, undefined);
  await settle(250);
  assert.deepEqual(w.shown.map((m) => m[0]), ["checkout"]);
  assert.ok(w.shown[0][3] - started >= 200);
});

test("events tracked after the loader arrived, and surveyWidget.show, work too", async () => {
  const { w } = await page({ placements: [placement("a", { event: "signed_up" }), placement("b", { event: "never" })] });
  await settle();
  w.surveyWidget.track("signed_up");
  w.surveyWidget.show("b");
  await settle();
  assert.deepEqual(w.shown.map((m) => m[0]).sort(), ["a", "b"]);
});

test("scroll depth", async () => {
  const setup = (w) => {
    Object.defineProperty(w.HTMLElement.prototype, "scrollHeight", { configurable: true, get: () => 4000 });
    Object.defineProperty(w, "innerHeight", { configurable: true, value: 1000 });
  };
  const { w } = await page({ placements: [placement("deep", { scrollPercent: 80 })], setup });
  w.dispatchEvent(new w.Event("scroll"));
  await settle();
  assert.equal(w.mounted, undefined);
  Object.defineProperty(w, "scrollY", { configurable: true, value: 2500 });
  w.dispatchEvent(new w.Event("scroll"));
  await settle();
  assert.deepEqual(w.shown.map((m) => m[0]), ["deep"]);
});

test("recontact: a placement answered or dismissed 10 days ago rests for its recontactDays; a survey under way resumes at once", async () => {
  const tenDaysAgo = Date.now() - 10 * 864e5;
  const { w } = await page({
    placements: [placement("rest", {}), placement("short", {}, { recontactDays: 7 }), placement("resume", { event: "never" }, { recontactDays: 30 })],
    storage: {
      "sw:r:k:pk_test:rest": tenDaysAgo, "sw:r:k:pk_test:short": tenDaysAgo,
      "sw:r:k:pk_test:resume": Date.now(), "sw:s:k:pk_test:resume": { id: "r", p: 2, a: { nps: 3 } },
      "sw:s:k:pk_test:elsewhere": { id: "e", p: 1, a: { nps: 9 } },
    },
  });
  await settle();
  assert.deepEqual(w.shown.map((m) => m[0]).sort(), ["resume", "short"]);
});

test("a survey under way resumes only on the pages its placement belongs to", async () => {
  const { w } = await page({
    placements: [placement("elsewhere", { urlPattern: "/cart", event: "never" }), placement("here", { urlPattern: "/checkout/*", event: "never" })],
    storage: { "sw:s:k:pk_test:elsewhere": { id: "e" }, "sw:s:k:pk_test:here": { id: "h" } },
  });
  await settle();
  assert.deepEqual(w.shown.map((m) => m[0]), ["here"]);
});

test("answers left in the queue by an earlier page load the bundle, which sends them", async () => {
  const { resources, w } = await page({ placements: [placement("p", { event: "never" })], storage: { "sw:q": [{ r: "x", k: "save", u: "u", b: {} }] } });
  await settle();
  assert.ok(resources.requested.includes("https://api.test/widget/v1/widget.js"));
  assert.equal(w.mounted, undefined);
});
