// The widget bundle, loaded on demand by loader.js: defines <cx-survey>, offers surveyWidget.mount to the loader
// and sends whatever an earlier page left in the offline queue.
import { define } from "./element.js";
import { flush } from "./queue.js";
import { pageLanguage } from "./i18n.js";

define();
const sw = (window.surveyWidget ||= {});

/** Shows placement p of widget key `key`; api is the API's base URL (ending in /). False when its container is missing. */
sw.mount = (p, key, api) => {
  const container = p.mode == "inline" ? document.querySelector(p.container) : document.body;
  if (!container) return false;
  const lang = pageLanguage(), scope = `k:${key}:${p.id}`, e = encodeURIComponent;
  const el = document.createElement("cx-survey");
  el.o = {
    api, scope, mode: p.mode, lang, pageUrl: location.href, recontact: "sw:r:" + scope,
    url: `${api}api/public/surveys/by-key/${e(key)}/${e(p.id)}?locale=${e(lang)}`,
    onEnd: () => el.remove(),
  };
  container.append(el);
  return true;
};

flush();
