// The hosted survey page (/s/{token}, /s/p/{linkId}): mounts the same survey component, full width, onto
// <main id="survey">, from the render payload the server put in <script type="application/json" id="survey-data">.
import { define } from "./element.js";
import { pageLanguage } from "./i18n.js";

define();
const main = document.getElementById("survey");
const json = (id) => {
  const el = document.getElementById(id);
  return el && JSON.parse(el.textContent);
};
// pages without a survey (an expired or unknown link) have nothing to mount
const data = json("survey-data");
const source = data?.source || {};
const channel = new URLSearchParams(location.search).get("ch");
const el = document.createElement("cx-survey");
el.o = {
  api: new URL("../../", import.meta.url).href,
  data,
  scope: source.kind == "invitation" ? "t:" + source.token : source.kind == "link" ? "l:" + source.linkId : `k:${source.publicKey}:${source.placementId}`,
  mode: "page",
  lang: pageLanguage(),
  channel: channel == "sms" || channel == "email" ? channel : "web",
  // {"nps": 7} from ?score=7: shown as chosen, sent only once the respondent confirms it
  preselect: json("survey-preselect"),
};
if (main && data) main.replaceChildren(el);
