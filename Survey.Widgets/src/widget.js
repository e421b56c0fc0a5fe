// The widget bundle, loaded on demand by loader.js: defines <cx-survey>, offers surveyWidget.mount to the loader
// and sends whatever an earlier page left in the offline queue.
import { define } from "./element.js";
import { flush, store } from "./queue.js";
import { uuid } from "./survey.js";
import { pageLanguage } from "./i18n.js";

define();
const sw = (window.surveyWidget ||= {});

/** Shows placement p of widget key `key`; api is the API's base URL (ending in /). False when its container is missing. */
sw.mount = (p, key, api) => {
  const container = p.mode == "inline" ? document.querySelector(p.container) : document.body;
  if (!container) return false;
  const lang = pageLanguage(), scope = `k:${key}:${p.id}`, e = encodeURIComponent;
  // the visitor's own random id (no cookie), for the server's recontact limits
  let visitor = store.get("sw:v");
  if (!visitor) store.set("sw:v", (visitor = "v_" + uuid().replace(/-/g, "")));
  const el = document.createElement("cx-survey");
  el.o = {
    api, scope, mode: p.mode, lang, visitor, pageUrl: location.href, recontact: "sw:r:" + scope,
    url: `${api}api/public/surveys/by-key/${e(key)}/${e(p.id)}?locale=${e(lang)}&visitorId=${visitor}`,
    dismiss: { url: `${api}api/public/widget/${e(key)}/dismissals`, body: { placementId: p.id, visitorId: visitor } },
    onEnd: () => el.remove(),
  };
  container.append(el);
  return true;
};

flush();
