'use strict'
/**
 * One state per survey (invitation token or open link), kept in wx storage so that nothing a respondent answered
 * is lost when the mini-program is closed: the response id, the answers, the page, the save numbers, and the
 * outbox of requests not yet acknowledged by the server. The state and its outbox are one storage value, so one
 * synchronous write records an answer, its save number and the request that carries it together.
 *
 * Everyone (components, the outbox sender) works on the same in-memory object per key and writes it through.
 */

const PREFIX = 'survey:v1:'
const PENDING_KEY = PREFIX + 'pending' // keys of states whose outbox is not empty

let cache = {}

function storage() {
  return typeof wx === 'object' && wx ? wx : null
}

function read(key) {
  try {
    const value = storage().getStorageSync(key)
    if (!value) return null
    return typeof value === 'string' ? JSON.parse(value) : value
  } catch (error) {
    return null
  }
}

function write(key, value) {
  storage().setStorageSync(key, value)
}

/** The storage key of a survey source: { token } or { linkId }. */
function keyFor(source) {
  if (source && source.token) return PREFIX + 'token:' + source.token
  if (source && source.linkId) return PREFIX + 'link:' + source.linkId
  return ''
}

/** The state of a key, or null. The same object is returned to every caller until reset(). */
function load(key) {
  if (!Object.prototype.hasOwnProperty.call(cache, key) || !cache[key]) {
    const state = read(key)
    if (state && !Array.isArray(state.outbox)) state.outbox = []
    cache[key] = state
  }
  return cache[key]
}

/** Makes `state` the state of `key` in memory; save() writes it. */
function put(key, state) {
  if (!Array.isArray(state.outbox)) state.outbox = []
  cache[key] = state
  return state
}

function pendingKeys() {
  const keys = read(PENDING_KEY)
  return Array.isArray(keys) ? keys : []
}

/** Writes the state of `key` (throws when storage is full or unavailable) and keeps the pending index right. */
function save(key) {
  const state = cache[key]
  if (!state) return
  write(key, state)
  const keys = pendingKeys()
  const listed = keys.indexOf(key) >= 0
  const pending = state.outbox.length > 0
  if (pending && !listed) write(PENDING_KEY, keys.concat([key]))
  else if (!pending && listed) write(PENDING_KEY, keys.filter(k => k !== key))
}

function unlist(key) {
  const keys = pendingKeys()
  if (keys.indexOf(key) >= 0) write(PENDING_KEY, keys.filter(k => k !== key))
}

/** Forgets the in-memory copies (tests; a real mini-program keeps one module instance for its lifetime). */
function reset() {
  cache = {}
}

module.exports = { PREFIX, PENDING_KEY, keyFor, load, put, save, pendingKeys, unlist, reset }
