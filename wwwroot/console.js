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

// Sign-in at the organisation's OpenID Connect provider: the authorization code flow with PKCE (RFC 7636, S256) for a public
// client, no secret. The verifier and state wait in sessionStorage during the round trip; the code leaves the address bar at once.
const pkceKey = "survey.pkce";
let signInOptions = { development: false };

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomString() {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

function redirectUri() {
  return `${location.origin}${location.pathname}`;
}

async function providerMetadata() {
  const response = await fetch(`${signInOptions.authority}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`The identity provider's metadata could not be read (${response.status}).`);
  return response.json();
}

document.getElementById("org-sign-in").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const metadata = await providerMetadata();
    const verifier = randomString();
    const state = randomString();
    const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
    sessionStorage.setItem(pkceKey, JSON.stringify({ verifier, state, tokenEndpoint: metadata.token_endpoint, redirectUri: redirectUri() }));
    const url = new URL(metadata.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: "code", client_id: signInOptions.clientId, redirect_uri: redirectUri(), scope: signInOptions.scope,
      state, code_challenge: challenge, code_challenge_method: "S256",
    }).toString();
    location.assign(url.toString());
  } catch (error) {
    signInStatus.textContent = error.message;
  }
});

async function finishOrgSignIn(params) {
  const pending = JSON.parse(sessionStorage.getItem(pkceKey) ?? "null");
  sessionStorage.removeItem(pkceKey);
  history.replaceState(null, "", redirectUri());
  if (params.get("error")) {
    signInStatus.textContent = `The identity provider refused the sign-in: ${params.get("error_description") ?? params.get("error")}.`;
    return;
  }
  if (!pending || params.get("state") !== pending.state) {
    signInStatus.textContent = "This sign-in was not started from this page. Please sign in again.";
    return;
  }
  const response = await fetch(pending.tokenEndpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code", code: params.get("code"), redirect_uri: pending.redirectUri, client_id: signInOptions.clientId,
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) {
    signInStatus.textContent = `The identity provider did not issue a token (${response.status}). Please sign in again.`;
    return;
  }
  sessionStorage.setItem(tokenKey, (await response.json()).access_token);
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

// The job dashboard is a page of its own: a browser cannot send the bearer header when it navigates, so the API sets a short
// cookie for /hangfire only (administrators of the operating tenant).
document.getElementById("open-jobs").addEventListener("click", async () => {
  const response = await fetch("/api/jobs/dashboard-session", authorized({ method: "POST" }));
  if (response.ok) location.assign("/hangfire");
  else signInStatus.textContent = response.status === 401 ? "Sign in first." : "The job dashboard is for administrators of the operating tenant.";
  if (!response.ok) signIn.hidden = false;
});

async function start() {
  const response = await fetch("/api/public/console/sign-in");
  if (response.ok) signInOptions = await response.json();
  document.getElementById("dev-sign-in").hidden = !signInOptions.development;
  document.getElementById("org-sign-in").hidden = !(signInOptions.authority && signInOptions.clientId);
  const params = new URLSearchParams(location.search);
  if (params.has("code") || params.has("error")) await finishOrgSignIn(params);
  await load();
}

status.addEventListener("change", load);
start();
