// The one-line embed: <script src="https://API/widget/v1/loader.js" data-key="PUBLIC_KEY" async></script>
// Tiny on purpose: it reads the placements of the key, decides when one shows (time, scroll, URL, page event,
// recontact rest), and only then loads widget.js from next to itself. Calls made before it arrived wait in
// window.surveyWidget.q (see docs/widget.md) and are replayed.
import { onPage, ready, resting, scrolled } from "./rules.js";

((w, d) => {
  const script = d.currentScript;
  const key = script.dataset.key;
  const api = new URL("../../", script.src).href;
  const sw = (w.surveyWidget ||= {});
  if (sw.l) return; // embedded twice
  sw.l = 1;
  const events = {}, started = {}, wanted = {};
  let placements = [], bundle;
  const read = (k) => {
    try {
      return JSON.parse(localStorage.getItem(k));
    } catch {}
  };
  const load = () =>
    (bundle ||= new Promise((resolve) => {
      const s = d.createElement("script");
      s.src = new URL("widget.js", script.src).href;
      s.onload = resolve;
      d.head.append(s);
    }));
  const show = (p) => {
    started[p.id] = 1;
    load().then(() => sw.mount(p, key, api) || (started[p.id] = 0));
  };
  const ctx = { location, events, scrolled: () => scrolled(w, d) };
  const check = () => {
    for (const p of placements) {
      const scope = `k:${key}:${p.id}`;
      if (started[p.id]) continue;
      // asked for by the page, or a survey under way on this device (it resumes, on the pages it belongs to): at once
      if (wanted[p.id] || (read("sw:s:" + scope) && onPage(p.show || {}, location))) show(p);
      else if (!resting(read("sw:r:" + scope), p.recontactDays, Date.now()) && ready(p.show || {}, ctx)) {
        started[p.id] = 1;
        setTimeout(() => show(p), (p.show?.afterSeconds || 0) * 1e3);
      }
    }
  };
  sw.track = (name, data) => {
    events[name] = data || {};
    check();
  };
  sw.show = (id) => {
    wanted[id] = 1;
    check();
  };
  fetch(api + "api/public/widget/" + encodeURIComponent(key))
    .then((r) => r.json())
    .then((config) => {
      placements = config.placements || [];
      check();
      // answers still waiting from an earlier page are sent by the bundle
      if (read("sw:q")) load();
    })
    .catch(() => {});
  addEventListener("scroll", check, { passive: true });
  (sw.q || []).forEach(([name, args]) => sw[name](...args));
  sw.q = { push: ([name, args]) => sw[name](...args) };
})(window, document);
