'use strict'
/** Mounting the component under miniprogram-simulate, and waiting for the fake network to go quiet. */
const { simulate, COMPONENT, lib } = require('./env.js')
const { API, TOKEN } = require('./fixtures.js')

const store = lib('store')
const outbox = lib('outbox')

/** Renders <survey> with the given properties (default: the API and the invitation token) under `wx`. */
function mount(wx, properties) {
  global.wx = wx
  const id = simulate.load(COMPONENT)
  const comp = simulate.render(id, Object.assign({ apiBase: API, token: TOKEN }, properties || {}))
  const events = []
  ;['completed', 'error', 'pending'].forEach(name => comp.addEventListener(name, e => events.push({ name, detail: e.detail })))
  comp.events = events
  comp.attach(document.createElement('parent-wrapper'))
  return comp
}

const tick = () => new Promise(resolve => setTimeout(resolve, 2))

/** Waits until `condition()` holds (checked every few ms), failing after `ms`. */
async function until(condition, ms = 3000, what = 'condition') {
  const end = Date.now() + ms
  for (;;) {
    if (condition()) return
    if (Date.now() > end) throw new Error('timed out waiting for ' + what)
    await tick()
  }
}

/** Waits until no request is in flight and nothing else happens for a few ticks. */
async function settle(wx) {
  let quiet = 0
  const end = Date.now() + 3000
  while (quiet < 5) {
    if (Date.now() > end) throw new Error('the fake network did not settle')
    await tick()
    quiet = wx.inflight === 0 ? quiet + 1 : 0
  }
}

/** A fresh start for a test: no memory of earlier states, no timers, no listeners. */
function resetMemory() {
  outbox.reset()
  store.reset()
}

module.exports = { mount, until, settle, tick, resetMemory, store, outbox }
