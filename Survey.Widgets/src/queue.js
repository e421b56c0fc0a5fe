// Never lose an answer: every request that writes goes into a queue kept in localStorage first, and is sent in order,
// one at a time, with retries and backoff. Offline (navigator.onLine false or a failed fetch) it waits for the
// "online" event or the next retry. The server accepts a retried request (same response id and save number) as a no-op.

const QUEUE = "sw:q";

/** localStorage that never throws (private modes, sandboxed frames): without it, memory only. */
export const store = {
  get(key) {
    try {
      return JSON.parse(localStorage.getItem(key));
    } catch {
      return null;
    }
  },
  set(key, value) {
    try {
      if (value == null) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(value));
    } catch {}
  },
};

let queue = store.get(QUEUE) || [];
let busy, timer, backoff = 0;
const listeners = new Set();
const persist = () => store.set(QUEUE, queue.length ? queue : null);
const emit = (entry, status, body) => listeners.forEach((f) => f(entry, status, body));

/** Listens to outcomes: (entry, status, body). status 0 means "not sent yet" (offline or failed, will retry); entry null means the queue is empty. */
export const listen = (f) => (listeners.add(f), () => listeners.delete(f));

/** Requests not yet acknowledged by the server, of one response or of all. */
export const pending = (responseId) => queue.filter((e) => !responseId || e.r == responseId).length;

/**
 * Queues a write. kind: "start" (PUT), "save" or "complete" (POST), or another POST to url (a widget dismissal). A save is merged into the previous save of the same
 * response while that one has not been tried yet, so a burst of changes costs one request (and one save number).
 * state is the response's {api, id, seq}; its seq is advanced here and must be persisted by the caller before flushing.
 */
export const send = (state, kind, body, url) => {
  const last = queue[queue.length - 1];
  if (kind == "save" && last && last.r == state.id && last.k == kind && !last.a) Object.assign(last.b.answers, body.answers);
  else {
    if (kind == "save" || kind == "complete") body.sequence = ++state.seq;
    url ||= `${state.api}api/public/responses/${state.id}${kind == "start" ? "" : "/" + (kind == "save" ? "saves" : kind)}`;
    queue.push({ r: state.id, k: kind, u: url, b: body });
  }
  persist();
};

/** Sends what is queued, in order. Safe to call at any time and from anywhere. */
export const flush = async () => {
  if (busy) return;
  busy = 1;
  clearTimeout(timer);
  try {
    while (queue.length) {
      const entry = queue[0];
      if (navigator.onLine === false) return emit(entry, 0);
      if (!entry.a) {
        entry.a = 1; // tried: from now on its body must never change
        persist();
      }
      let status = 0, body = null, retryAfter = 0;
      try {
        const res = await fetch(entry.u, {
          method: entry.k == "start" ? "PUT" : "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(entry.b),
        });
        status = res.status;
        retryAfter = +res.headers.get("retry-after") || 0;
        body = await res.json().catch(() => null);
      } catch {}
      if (!status || status == 408 || status == 429 || status >= 500) {
        backoff = Math.min(backoff ? backoff * 2 : 1e3, 3e4);
        timer = setTimeout(flush, retryAfter * 1e3 || backoff);
        return emit(entry, 0, body);
      }
      // 2xx: committed. Other 4xx: the request can never succeed as it is; the survey shows why.
      backoff = 0;
      queue.shift();
      persist();
      emit(entry, status, body);
    }
    emit(null, 200);
  } finally {
    busy = 0;
  }
};

addEventListener("online", flush);
