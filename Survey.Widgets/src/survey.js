// The survey itself, rendered with plain DOM into a shadow root. One component for every web surface: the widget's
// inline, popover and slide-in modes and the hosted survey page. It keeps the respondent's state in localStorage
// (so a reload resumes the same response and page), evaluates show-if / required-if logic as the server does, and
// writes through the offline queue.
import css from "./widget.css";
import { isEmpty, isTrue } from "./logic.js";
import { flush, listen, send, store } from "./queue.js";
import { strings } from "./i18n.js";

let sheet;
const adopt = (root) => {
  try {
    // Constructable stylesheets are CSSOM, so a host page's CSP style-src does not apply to them.
    if (!sheet) (sheet = new CSSStyleSheet()).replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    root.append(h("style", {}, css));
  }
};

/** Element with attributes (on* are event handler properties) and children. */
const h = (tag, attrs, ...kids) => {
  const el = document.createElement(tag);
  for (const k in attrs) {
    const v = attrs[k];
    if (k.startsWith("on")) el[k] = v;
    else if (v != null && v !== false) el.setAttribute(k, v === true ? "" : v);
  }
  el.append(...kids.filter((k) => k != null && k !== false));
  return el;
};
const text = (el, s) => el.textContent != s && (el.textContent = s);

const HEX = /^#[0-9a-f]{6}$/i;
const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const luminance = (hex) =>
  rgb(hex)
    .map((v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
const mix = (a, b, w) => "#" + rgb(a).map((v, i) => Math.round(v * w + rgb(b)[i] * (1 - w)).toString(16).padStart(2, "0")).join("");

export const uuid = () =>
  crypto.randomUUID?.() ??
  "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) => (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16));

const device = () => (innerWidth < 640 ? "mobile" : innerWidth < 1100 && matchMedia("(pointer:coarse)").matches ? "tablet" : "desktop");

/**
 * Shows a survey in root (a shadow root of host).
 * o: { api (base URL ending in /), data (render payload) or url (to fetch it), scope (localStorage key part),
 *      mode: inline | popover | slideIn | page, lang, channel, pageUrl, onEnd(),
 *      widget only: visitor (id), recontact (localStorage key), dismiss ({url, body} to post when closed unanswered) }
 */
export async function mount(host, root, o) {
  adopt(root);
  const t = strings(o.lang);
  const mode = o.mode;
  const modal = mode == "popover";
  let data = o.data;
  if (!data)
    try {
      const res = await fetch(o.url);
      if (!res.ok) throw 0;
      data = await res.json();
    } catch {
      return o.onEnd?.();
    }

  const qs = data.questions;
  const key = "sw:s:" + o.scope;
  const version = data.questionnaireId + ":" + data.version;
  const firstPage = Math.min(...qs.map((q) => q.page));
  let st = store.get(key);
  if (st?.v != version) st = { v: version, id: uuid(), seq: 0, p: firstPage, a: {} };
  st.api = o.api;
  const answers = st.a;
  const persist = () => done || store.set(key, st);
  let done, blocks, visible, values, body, form, next, back, status, live, ended, pre;
  // A score preselected by the link (the 0-10 links of an invitation email, ?score=N): shown as chosen, but sent only when
  // the respondent confirms it — choosing it again, choosing another score, or Next/Submit. Mail scanners open every link,
  // so loading the page must send nothing. Not for a response already started on this device.
  for (const id in o.preselect) {
    const q = qs.find((q) => q.id == id), v = o.preselect[id];
    if (!st.s && q?.scale && q.page == st.p && Number.isInteger(v) && v >= q.scale.min && v <= q.scale.max) answers[(pre = id)] = v;
  }

  // Theme: colours, font and radius from the server, with derived colours that keep WCAG contrast.
  const theme = data.theme || {};
  const colour = (c, fallback) => (HEX.test(c || "") ? c : fallback);
  const p = colour(theme.primaryColor, "#1d4ed8"), bg = colour(theme.backgroundColor, "#ffffff"), fg = colour(theme.textColor, "#111827");
  const dark = luminance(bg) < 0.4;
  const vars = {
    "--p": p, "--bg": bg, "--fg": fg, "--f": theme.fontFamily || "system-ui, sans-serif",
    "--r": (theme.radius ?? 10) + "px", "--rs": Math.min(theme.radius ?? 10, 10) + "px",
    "--on": luminance(p) > 0.2 ? "#111827" : "#ffffff", "--bd": mix(fg, bg, 0.55), "--tr": mix(fg, bg, 0.15),
    "--er": dark ? "#fca5a5" : "#b91c1c",
  };

  const wrap = h(modal || mode == "slideIn" ? "dialog" : "section", { class: "w m-" + mode, "aria-labelledby": "t", lang: data.locale });
  for (const k in vars) wrap.style.setProperty(k, vars[k]);
  const close = mode == "popover" || mode == "slideIn" ? h("button", { type: "button", class: "x", "aria-label": t("close"), onclick: () => end(1) }, "×") : null;
  const fill = (s) =>
    (s || "").replace(/\{([^{}]+)\}/g, (m, name) => {
      const q = qs.find((q) => q.id.toLowerCase() == name.trim().toLowerCase());
      if (!q) return m;
      const v = values?.[q.id];
      return v == null ? "" : [].concat(v).map((x) => q.choices?.find((c) => c.value == x)?.text ?? x).join(", ");
    });
  const title = h(mode == "page" ? "h1" : "h2", { id: "t" }, fill(data.title));
  const description = data.description ? h("p", { class: "ds" }, data.description) : null;
  body = h("div");
  status = h("p", { class: "st", role: "status" });
  live = h("p", { class: "sr", "aria-live": "assertive" });
  wrap.append(h("div", { class: "sv" }, close, title, description, body, status, live));
  root.append(wrap);

  // Logic runs in question order over the answers of visible questions only, exactly as the server's AnswerValidator.
  const evaluate = () => {
    visible = new Set();
    values = {};
    for (const q of qs)
      if (!q.visibleIf || isTrue(q.visibleIf, values)) {
        visible.add(q.id);
        if (!isEmpty(answers[q.id])) values[q.id] = answers[q.id];
      }
  };
  const required = (q) => q.required || (!!q.requiredIf && isTrue(q.requiredIf, values));
  const pageShown = (n) => qs.some((q) => q.page == n && visible.has(q.id));
  const nextPage = (dir) => {
    for (let n = st.p + dir; n >= firstPage && n <= data.pageCount; n += dir) if (pageShown(n)) return n;
  };

  const focusFirst = () => {
    const b = blocks.find((b) => !b.el.hidden);
    (b?.el.querySelector("input:checked") || b?.el.querySelector("input,textarea"))?.focus();
  };

  const set = (q, v) => {
    if (isEmpty(v)) delete answers[q.id];
    else answers[q.id] = v;
    const b = blocks.find((b) => b.q == q);
    if (b) error(b, "");
    persist();
    update();
  };

  const error = (b, message) => {
    text(b.err, message);
    b.field[message ? "setAttribute" : "removeAttribute"]("aria-invalid", "true");
  };

  const block = (q, i) => {
    const id = "q" + i, min = q.minChoices, max = q.maxChoices;
    const b = { q, label: h("span"), mark: h("span", { class: "rq", "aria-hidden": "true" }, " *"), req: h("span", { class: "sr" }) };
    b.err = h("p", { class: "er", id: id + "e" });
    const hint = max ? t("atMost", max) : min > 1 ? t("atLeast", min) : null;
    const desc = q.description || hint || q.id == pre ? (b.desc = h("p", { class: "qd", id: id + "d" })) : null;
    const describedBy = (desc ? id + "d " : "") + id + "e";
    if (q.type == "freeText") {
      const limit = q.maxLength || 4000;
      const counter = h("p", { class: "ct", id: id + "c" });
      const count = () => text(counter, t("chars", b.field.value.length, limit));
      b.field = h("textarea", {
        id: id + "i", maxlength: limit, rows: 4, "aria-describedby": describedBy + " " + id + "c",
        oninput: () => (set(q, b.field.value.trim() ? b.field.value : null), count()),
      });
      b.field.value = answers[q.id] || "";
      count();
      b.el = h("div", { class: "q" }, h("label", { class: "lb", for: id + "i" }, b.label, b.mark, b.req), desc, b.field, counter, b.err);
    } else {
      const multi = q.type == "multipleChoice", scale = q.scale;
      const options = scale
        ? Array.from({ length: scale.max - scale.min + 1 }, (_, k) => [scale.min + k, String(scale.min + k)])
        : (q.choices || []).map((c) => [c.value, c.text]);
      const current = [].concat(answers[q.id] ?? []);
      const inputs = options.map(([value, label]) =>
        h("label", {},
          h("input", {
            type: multi ? "checkbox" : "radio", name: id, value, checked: current.includes(value),
            // choosing the preselected score again confirms it (a handler returning false would cancel the click)
            onclick: () => {
              if (q.id == pre && answers[q.id] === value) save({ [q.id]: value }), update();
            },
            onchange: (e) => {
              if (!multi) {
                // one tap on a scale saves at once
                if (scale) save({ [q.id]: value });
                set(q, value);
              } else set(q, inputs.filter((l) => l.firstChild.checked).map((l) => options[inputs.indexOf(l)][0]));
            },
          }),
          h("span", {}, label)));
      const group = h("div", { class: scale ? (options.length > 7 ? "sc wd" : "sc") : "ch" }, ...inputs);
      if (scale) group.style.setProperty("--n", options.length);
      b.field = h("fieldset", { class: "q", role: multi ? "group" : "radiogroup", "aria-labelledby": id + "l", "aria-describedby": describedBy },
        h("legend", { id: id + "l" }, b.label, b.mark, b.req), desc, group,
        scale && (scale.minLabel || scale.maxLabel) ? h("div", { class: "en", "aria-hidden": "true" }, h("span", {}, scale.minLabel), h("span", {}, scale.maxLabel)) : null,
        b.err);
      // the end labels are read with the first and last points
      if (scale?.minLabel) inputs[0].firstChild.setAttribute("aria-label", options[0][1] + " " + scale.minLabel);
      if (scale?.maxLabel) inputs[inputs.length - 1].firstChild.setAttribute("aria-label", options[options.length - 1][1] + " " + scale.maxLabel);
      b.el = b.field;
    }
    b.hint = hint;
    return b;
  };

  const update = () => {
    evaluate();
    const label = t(nextPage(1) ? "next" : "submit");
    for (const b of blocks) {
      b.el.hidden = !visible.has(b.q.id);
      text(b.label, fill(b.q.text));
      if (b.desc) {
        text(b.desc, [fill(b.q.description), b.hint, b.q.id == pre && t("pre", answers[pre], label)].filter(Boolean).join(" "));
        b.desc.hidden = !b.desc.textContent;
      }
      const r = required(b.q);
      b.mark.hidden = !r;
      text(b.req, r ? t("req") : "");
    }
    text(next, label);
    back.hidden = !nextPage(-1);
  };

  const render = (focus) => {
    blocks = qs.map((q, i) => q.page == st.p && block(q, i)).filter(Boolean);
    back = h("button", { type: "button", class: "bk", onclick: () => go(-1) }, t("back"));
    next = h("button", { type: "submit" });
    form = h("form", { novalidate: true, onsubmit: (e) => (e.preventDefault(), go(1)) }, ...blocks.map((b) => b.el), h("div", { class: "nv" }, back, next));
    const kids = [form];
    if (data.pageCount > 1) {
      const bar = h("i");
      bar.style.width = (100 * st.p) / data.pageCount + "%";
      kids.unshift(h("div", { class: "pg" }, h("div", { class: "bar", "aria-hidden": "true" }, bar), h("span", { "aria-live": "polite" }, t("page", st.p, data.pageCount))));
    }
    body.replaceChildren(...kids);
    update();
    if (focus) focusFirst();
  };

  const finish = (message) => {
    const p = h("p", { class: "th", tabindex: "-1" }, message);
    body.replaceChildren(p);
    if (root.activeElement || modal) p.focus();
  };

  // Answers of this page: visible ones as given, others cleared (the server refuses answers to hidden questions).
  const pageAnswers = () => Object.fromEntries(blocks.map((b) => [b.q.id, visible.has(b.q.id) && !isEmpty(answers[b.q.id]) ? answers[b.q.id] : null]));

  const save = (a, kind = "save") => {
    pre = 0;
    if (!st.s) {
      st.s = 1;
      const pageUrl = o.pageUrl && (o.pageUrl.length > 2000 ? location.origin + location.pathname : o.pageUrl).slice(0, 2000);
      send(st, "start", { source: { ...data.source, visitorId: o.visitor }, locale: data.locale, channel: o.channel || "web", device: device(), pageUrl });
    }
    send(st, kind, { answers: a });
    persist();
    flush();
  };

  const validate = () => {
    let first;
    for (const b of blocks) {
      const v = answers[b.q.id], n = [].concat(v ?? []).length, { minChoices: min, maxChoices: max } = b.q;
      const message = !visible.has(b.q.id) ? "" : isEmpty(v) ? (required(b.q) ? t("required") : "")
        : max && n > max ? t("atMost", max) : min && n < min ? t("atLeast", min) : "";
      error(b, message);
      if (message) first ||= b;
    }
    if (first) {
      text(live, "");
      text(live, t("check"));
      (first.el.querySelector("input,textarea") || first.el).focus();
    }
    return !first;
  };

  const go = (dir) => {
    if (dir < 0) {
      st.p = nextPage(-1);
      persist();
      return render(1);
    }
    if (!validate()) return;
    const n = nextPage(1);
    if (n) {
      save(pageAnswers());
      st.p = n;
      persist();
      render(1);
    } else {
      save(pageAnswers(), "complete");
      done = 1;
      store.set(key, null);
      if (o.recontact) store.set(o.recontact, Date.now());
      finish(t("thanks"));
    }
  };

  // Outcomes of this response's requests.
  const unlisten = listen((e, code, res) => {
    if (!e) return text(status, "");
    if (e.r != st.id) return;
    if (!code) return text(status, t("offline"));
    text(status, "");
    if (code < 300) return;
    const errors = res?.errors || {};
    const wrong = qs.filter((q) => Object.keys(errors).some((k) => k.toLowerCase() == q.id.toLowerCase()));
    if (code == 400 && wrong.length && e.k != "start") {
      // refused answers: back to the question, with the server's words next to it
      if (done) {
        done = 0;
        persist();
      }
      st.p = wrong[0].page;
      render();
      let first;
      for (const q of wrong) {
        const b = blocks.find((b) => b.q == q);
        if (b) error(b, [].concat(errors[Object.keys(errors).find((k) => k.toLowerCase() == q.id.toLowerCase())]).join(" ")), (first ||= b);
      }
      text(live, t("check"));
      first?.el.querySelector("input,textarea")?.focus();
    } else if (code == 409 && e.k != "start") {
      // already submitted (from another tab or an earlier visit)
      done = 1;
      store.set(key, null);
      finish(res?.title || t("thanks"));
    } else if (!done) {
      store.set(key, null);
      done = 1;
      finish(res?.title || t("failed"));
    }
  });

  const end = (dismissed) => {
    if (ended) return;
    ended = 1;
    if (dismissed && !done) {
      // dismissing rests the placement like answering (here and on the server); what was answered so far is still sent
      store.set(key, null);
      if (o.recontact) store.set(o.recontact, Date.now());
      if (o.dismiss) send(st, "dismiss", o.dismiss.body, o.dismiss.url), flush();
    }
    unlisten();
    wrap.open && wrap.close();
    o.onEnd?.();
  };

  if (mode != "inline" && mode != "page") {
    wrap.addEventListener("cancel", (e) => (e.preventDefault(), end(1)));
    wrap.addEventListener("keydown", (e) => {
      if (e.key == "Escape") {
        e.preventDefault();
        end(1);
      }
      // keep Tab inside the popover: the close button is first, the last button last
      if (modal && e.key == "Tab") {
        const last = form?.isConnected ? next : close, active = root.activeElement;
        if (e.shiftKey ? active == close : active == last) {
          e.preventDefault();
          (e.shiftKey ? last : close).focus();
        }
      }
    });
  }

  if (data.response?.completed) {
    done = 1;
    finish(t("done"));
  } else render();
  if (modal) {
    wrap.showModal();
    focusFirst();
  } else if (mode == "slideIn") wrap.show();
  flush();
}
