// The hosted survey page (/s/{token}, /s/p/{linkId}): mounts the same survey component, full width, onto
// <main id="survey">, from the render payload the server put in <script type="application/json" id="survey-data">.
import { define } from "./element.js";
import { pageLanguage } from "./i18n.js";

define();
const main = document.getElementById("survey");
const payload = document.getElementById("survey-data");
// pages without a survey (an expired or unknown link) have nothing to mount
const data = payload && JSON.parse(payload.textContent);
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
};
if (main && data) main.replaceChildren(el);
