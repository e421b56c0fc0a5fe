'use strict'
/**
 * Sends the requests of every survey state's outbox, oldest first, one at a time, until each gets an answer
 * (docs/respondent-api.md section 2). The server applies a save number once and answers a repeat with the same
 * result, so a request whose answer was lost is simply sent again.
 *
 * - 2xx: done; the request leaves the outbox.
 * - no answer (network), 408, 429 (after Retry-After) and 5xx: kept and retried with backoff, and at once when
 *   the network comes back (wx.onNetworkStatusChange) or flush() is called again.
 * - any other 4xx: not retried; the request leaves the outbox and listeners are told (errors are shown).
 *
 * Listeners get { type: 'sent' | 'rejected' | 'waiting', key, item, status, problem, network } events.
 */
const store = require('./store.js')
const model = require('./model.js')

const settings = {
  baseDelayMs: 1000,
  maxDelayMs: 60000,
  timeoutMs: 20000,
}

let running = null
let timer = null
let attempt = 0
let hookedOn = null
let listeners = []

function api() {
  return wx
}

function notify(event) {
  listeners.slice().forEach(listener => {
    try { listener(event) } catch (error) { if (typeof console === 'object') console.error(error) }
  })
}

function subscribe(listener) {
  if (listeners.indexOf(listener) < 0) listeners.push(listener)
}

function unsubscribe(listener) {
  listeners = listeners.filter(l => l !== listener)
}

function hookNetwork() {
  const w = api()
  if (hookedOn === w || typeof w.onNetworkStatusChange !== 'function') return
  hookedOn = w
  w.onNetworkStatusChange(res => {
    if (res && res.isConnected) flush()
  })
}

function header(headers, name) {
  const wanted = name.toLowerCase()
  const keys = Object.keys(headers || {})
  for (let i = 0; i < keys.length; i++) if (keys[i].toLowerCase() === wanted) return headers[keys[i]]
  return undefined
}

function retryAfterMs(headers) {
  const value = header(headers, 'Retry-After')
  if (value === undefined || value === null || value === '') return 0
  const seconds = Number(value)
  if (!Number.isNaN(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? 0 : Math.max(0, date - Date.now())
}

function parseBody(data) {
  if (typeof data !== 'string') return data || null
  try { return JSON.parse(data) } catch (error) { return data ? { title: data } : null }
}

/** Sends one request; resolves { ok, retry, status, data, headers, network } and never rejects. */
function request(options) {
  return new Promise(resolve => {
    try {
      api().request({
        url: options.url,
        method: options.method,
        data: options.body,
        header: Object.assign({ 'content-type': 'application/json', accept: 'application/json' }, options.header || {}),
        dataType: 'json',
        timeout: settings.timeoutMs,
        success: res => {
          const status = res.statusCode
          resolve({
            ok: status >= 200 && status < 300,
            retry: status === 408 || status === 429 || status >= 500,
            status,
            data: parseBody(res.data),
            headers: res.header || {},
            network: false,
          })
        },
        fail: err => resolve({ ok: false, retry: true, status: 0, data: null, headers: {}, network: true, errMsg: err && err.errMsg }),
      })
    } catch (error) {
      resolve({ ok: false, retry: true, status: 0, data: null, headers: {}, network: true, errMsg: String(error) })
    }
  })
}

function nextItem() {
  const keys = store.pendingKeys()
  for (let i = 0; i < keys.length; i++) {
    const state = store.load(keys[i])
    if (state && state.outbox.length) return { key: keys[i], state, item: state.outbox[0] }
    store.unlist(keys[i])
  }
  return null
}

function schedule(delay) {
  if (timer) clearTimeout(timer)
  const backoff = Math.min(settings.baseDelayMs * Math.pow(2, attempt), settings.maxDelayMs)
  attempt++
  timer = setTimeout(() => {
    timer = null
    flush()
  }, Math.max(delay || 0, backoff))
}

/** What a settled request means for its survey state (the outbox head is removed by the caller). */
function settle(state, item, result) {
  const problem = result.data && typeof result.data === 'object' ? result.data : {}
  if (result.ok) {
    if (item.kind === 'complete') {
      state.completed = true
      state.submitting = false
    }
    return
  }
  state.lastError = { kind: item.kind, status: result.status, title: problem.title || '', code: problem.code || '' }
  if (result.status === 409 && problem.code === 'completed') {
    state.completed = true
    state.submitting = false
    state.outbox = []
    return
  }
  // Nothing after a refused start can succeed, nor anything for an expired invitation, a forged token or an
  // invitation another response answered: the state says why and keeps nothing to send.
  if (item.kind === 'start' || result.status === 401 || result.status === 410 || (result.status === 409 && problem.code === 'already-answered')) {
    state.outbox = []
    state.submitting = false
    state.closed = { status: result.status, title: problem.title || '', code: problem.code || '' }
    return
  }
  // Nothing of a refused save was applied: its answers must be sent again once fixed.
  const answers = (item.body && item.body.answers) || {}
  Object.keys(answers).forEach(id => { state.server[id] = model.UNKNOWN })
  if (item.kind === 'complete') state.submitting = false
}

/** Sends everything pending, in order. Resolves when the outbox is empty or waiting for a retry. */
function flush() {
  hookNetwork()
  if (running) return running
  if (timer) {
    clearTimeout(timer)
    timer = null
  }
  running = new Promise(resolve => {
    const step = () => {
      const next = nextItem()
      if (!next) {
        running = null
        attempt = 0
        resolve()
        return
      }
      request(next.item).then(result => {
        const event = { key: next.key, item: next.item, status: result.status, problem: result.data, network: result.network }
        if (result.retry) {
          running = null
          schedule(result.status === 429 || result.status === 503 ? retryAfterMs(result.headers) : 0)
          notify(Object.assign({ type: 'waiting' }, event))
          resolve()
          return
        }
        const state = store.load(next.key)
        if (state) {
          state.outbox = state.outbox.filter(item => item.id !== next.item.id)
          settle(state, next.item, result)
          try { store.save(next.key) } catch (error) { /* the memory copy is right; the next save writes it */ }
        }
        attempt = 0
        notify(Object.assign({ type: result.ok ? 'sent' : 'rejected' }, event))
        step()
      })
    }
    step()
  })
  return running
}

function pendingCount(key) {
  const state = store.load(key)
  return state ? state.outbox.length : 0
}

/** Stops timers and forgets listeners (tests). */
function reset() {
  if (timer) clearTimeout(timer)
  timer = null
  running = null
  attempt = 0
  hookedOn = null
  listeners = []
}

module.exports = { settings, subscribe, unsubscribe, flush, request, pendingCount, reset }
