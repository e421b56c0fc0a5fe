// When a placement shows (docs/widget.md): every condition it sets must hold. The loader imports these; they are
// pure so that node tests can check them.

/** urlPattern with * for any run of characters; matched against the full URL when it starts with http(s), else the path. */
export const urlMatches = (pattern, loc) =>
  new RegExp("^" + pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$").test(
    /^https?:/.test(pattern) ? loc.href : loc.pathname,
  );

/** How far down the page the bottom of the viewport is, 0-100. */
export const scrolled = (w, d) => {
  const total = d.documentElement.scrollHeight;
  return total <= w.innerHeight ? 100 : (100 * (w.scrollY + w.innerHeight)) / total;
};

/** Answered or dismissed at `last` (ms) less than `days` days before `now`. */
export const resting = (last, days, now) => !!last && now - last < days * 864e5;

/** The placement belongs on this page (no urlPattern, or it matches). */
export const onPage = (show, loc) => !show.urlPattern || urlMatches(show.urlPattern, loc);

/** The conditions other than time: URL, event sent, scroll depth. afterSeconds then counts from the moment these hold. */
export const ready = (show, ctx) =>
  onPage(show, ctx.location) &&
  (!show.event || !!ctx.events[show.event]) &&
  (!show.scrollPercent || ctx.scrolled() >= show.scrollPercent);
