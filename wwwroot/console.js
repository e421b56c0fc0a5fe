const rows = document.getElementById("rows");
const status = document.getElementById("status");
const locale = navigator.language?.toLowerCase().startsWith("zh") ? "zh-CN" : "en";

function text(localized) {
  return localized?.[locale] ?? Object.values(localized ?? {})[0] ?? "";
}

function cell(value) {
  const td = document.createElement("td");
  td.textContent = value;
  return td;
}

// Bearer-only sign-in (no cookies, so no CSRF): the token lives in this tab's sessionStorage.
const tokenKey = "survey.accessToken";
const signIn = document.getElementById("sign-in");
const signInStatus = document.getElementById("sign-in-status");

function authorized(init = {}) {
  const token = sessionStorage.getItem(tokenKey);
  return token ? { ...init, headers: { ...init.headers, Authorization: `Bearer ${token}` } } : init;
}

document.getElementById("dev-sign-in").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const response = await fetch("/api/dev/sign-in", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ user: form.get("user"), role: form.get("role"), tenant: form.get("tenant") || undefined }),
  });
  if (!response.ok) {
    signInStatus.textContent = response.status === 404 ? "The development sign-in is off here; paste a token instead." : `Sign-in failed (${response.status}).`;
    return;
  }
  sessionStorage.setItem(tokenKey, (await response.json()).accessToken);
  load();
});

document.getElementById("token-sign-in").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem(tokenKey, new FormData(event.target).get("token").trim());
  load();
});

async function load() {
  const query = status.value ? `?status=${status.value}` : "";
  const response = await fetch(`/api/questionnaires${query}`, authorized());
  rows.replaceChildren();
  signIn.hidden = response.status !== 401 && response.status !== 403;
  if (response.status === 401 || response.status === 403) sessionStorage.removeItem(tokenKey);
  if (!response.ok) {
    rows.append(Object.assign(document.createElement("tr"), { textContent: `Could not load questionnaires (${response.status}).` }));
    return;
  }
  const page = await response.json();
  if (page.items.length === 0) {
    const tr = document.createElement("tr");
    const td = cell("No questionnaires yet. Create one through the API (see the API reference).");
    td.colSpan = 5;
    tr.append(td);
    rows.append(tr);
  }
  for (const q of page.items) {
    const tr = document.createElement("tr");
    const badge = Object.assign(document.createElement("span"), { className: `status ${q.status}`, textContent: q.status });
    const statusCell = document.createElement("td");
    statusCell.append(badge);
    tr.append(cell(text(q.title)), statusCell, cell(q.questionCount), cell(q.latestPublishedVersion ? `v${q.latestPublishedVersion}` : "–"),
      cell(new Date(q.updatedAt).toLocaleString(locale)));
    rows.append(tr);
  }
}

status.addEventListener("change", load);
load();
