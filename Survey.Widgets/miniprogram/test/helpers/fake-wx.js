'use strict'
/**
 * A fake `wx` (request, storage, system info, random values, network status) in front of a fake respondent API
 * that checks every request exactly as docs/respondent-api.md describes it and answers with the documented bodies.
 * Anything off-contract is recorded in `server.violations`, which the tests assert to be empty.
 */
const crypto = require('node:crypto')
const { API, TOKEN, LINK, MEMBER_TOKEN, afterServiceSurvey } = require('./fixtures.js')
const { lib } = require('./env.js')

const logic = lib('logic')

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const CHANNELS = ['web', 'sms', 'email', 'miniProgram']
const DEVICES = ['mobile', 'tablet', 'desktop']

const clone = value => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)))

function problem(status, title, extra) {
  return { status, header: { 'Content-Type': 'application/problem+json' }, data: Object.assign({ type: 'https://survey-engine.dev/problems/x', title, status }, extra || {}) }
}

function validation(errors) {
  const ids = Object.keys(errors)
  return problem(400, 'The request is not valid.', {
    type: 'https://survey-engine.dev/problems/validation',
    detail: ids.length === 1 && errors[ids[0]].length === 1 ? errors[ids[0]][0] : 'Several problems were found.',
    errors,
  })
}

function ok(status, data) {
  return { status, header: { 'Content-Type': 'application/json; charset=utf-8' }, data }
}

class FakeApi {
  constructor() {
    this.surveys = { zh: locale => afterServiceSurvey(locale) }
    this.expiredTokens = {}
    this.answeredTokens = {}
    this.responses = {}
    this.log = [] // every request that reached the server: { method, path, query, body }
    this.violations = []
    this.next = [] // scripted answers for the next matching requests: { match(req), reply }
    this.memberToken = MEMBER_TOKEN
    this.pendingSurveys = [] // what GET /api/public/miniprogram/pending answers the signed-in member
  }

  /** GET /api/public/miniprogram/pending: the member token in X-Member-Token, never in the URL; 401 for any other. */
  pending(req) {
    if (req.body !== undefined && req.body !== null && req.body !== '') this.violation('GET with a body', req)
    const name = Object.keys(req.header || {}).find(k => k.toLowerCase() === 'x-member-token')
    if (!name || req.header[name] !== this.memberToken) return problem(401, 'Please sign in again.')
    if (!req.query.locale) this.violation('pending without a locale', req)
    return ok(200, { surveys: clone(this.pendingSurveys) })
  }

  violation(message, req) {
    this.violations.push(message + ' — ' + req.method + ' ' + req.path + ' ' + JSON.stringify(req.body))
  }

  /** The server picks the best of the questionnaire's locales (exact, then same language) and falls back to zh-CN. */
  negotiate(requested) {
    if (!requested) return 'zh-CN'
    if (/^en/i.test(requested)) return 'en'
    return 'zh-CN'
  }

  /** Answers the next request that `match` accepts with `reply` ({ status, data, header }) instead of handling it. */
  script(match, reply) {
    this.next.push({ match, reply })
  }

  handle(req) {
    this.log.push(req)
    const scripted = this.next.findIndex(s => s.match(req))
    if (scripted >= 0) return this.next.splice(scripted, 1)[0].reply
    let m
    if (req.method === 'GET' && req.path === '/api/public/miniprogram/pending') return this.pending(req)
    if (req.method === 'GET' && (m = /^\/api\/public\/surveys\/by-token\/([^/]+)$/.exec(req.path))) return this.byToken(decodeURIComponent(m[1]), req)
    if (req.method === 'GET' && (m = /^\/api\/public\/surveys\/by-link\/([^/]+)$/.exec(req.path))) return this.byLink(decodeURIComponent(m[1]), req)
    if (req.method === 'PUT' && (m = /^\/api\/public\/responses\/([^/]+)$/.exec(req.path))) return this.start(m[1], req)
    if (req.method === 'POST' && (m = /^\/api\/public\/responses\/([^/]+)\/saves$/.exec(req.path))) return this.write(m[1], req, false)
    if (req.method === 'POST' && (m = /^\/api\/public\/responses\/([^/]+)\/complete$/.exec(req.path))) return this.write(m[1], req, true)
    this.violation('no such endpoint', req)
    return problem(404, 'Not found.')
  }

  byToken(token, req) {
    if (req.body !== undefined && req.body !== null && req.body !== '') this.violation('GET with a body', req)
    if (this.expiredTokens[token]) return problem(410, 'This invitation has expired.')
    if (token !== TOKEN) return problem(401, 'This link is not valid.')
    const survey = afterServiceSurvey(this.negotiate(req.query.locale))
    if (this.answeredTokens[token]) survey.response = { responseId: this.answeredTokens[token], completed: true }
    return ok(200, survey)
  }

  byLink(linkId, req) {
    if (linkId !== LINK) return problem(404, 'Not found.', { detail: 'This survey could not be found.' })
    return ok(200, afterServiceSurvey(this.negotiate(req.query.locale), { kind: 'link', linkId: LINK }))
  }

  start(id, req) {
    const body = req.body
    if (!UUID.test(id)) this.violation('response id is not a UUID v4', req)
    if (!body || typeof body !== 'object') { this.violation('start without a JSON body', req); return validation({ $: ['The body is not valid JSON.'] }) }
    Object.keys(body).forEach(k => { if (['source', 'locale', 'channel', 'device', 'pageUrl'].indexOf(k) < 0) this.violation('unknown start field ' + k, req) })
    if (!body.source || !['invitation', 'link', 'widget'].includes(body.source.kind)) this.violation('start without a source', req)
    if (body.source && body.source.kind === 'invitation' && body.source.token !== TOKEN) this.violation('start with another token', req)
    if (body.source && body.source.kind === 'link' && body.source.linkId !== LINK) this.violation('start with another link', req)
    if (!CHANNELS.includes(body.channel)) this.violation('unknown channel ' + body.channel, req)
    if (body.device !== undefined && !DEVICES.includes(body.device)) this.violation('unknown device ' + body.device, req)
    if (typeof body.locale !== 'string' || body.locale.length > 35) this.violation('bad locale', req)
    if (body.pageUrl !== undefined && !/^https?:\/\//.test(body.pageUrl)) this.violation('pageUrl is not an absolute URL', req)
    const existing = this.responses[id]
    if (existing) {
      if (JSON.stringify(existing.source) !== JSON.stringify(body.source)) return problem(409, 'This response id is already used for another survey.', { code: 'response-id-taken' })
      return ok(200, { responseId: id, questionnaireId: existing.survey.questionnaireId, version: existing.survey.version, completed: existing.completed })
    }
    if (body.source && body.source.token && this.expiredTokens[body.source.token]) return problem(410, 'This invitation has expired.')
    const survey = afterServiceSurvey(body.locale === 'en' ? 'en' : 'zh-CN', body.source)
    this.responses[id] = { id, source: clone(body.source), start: clone(body), survey, answers: {}, saves: {}, applied: [], completed: false, completedSequence: null }
    return ok(201, { responseId: id, questionnaireId: survey.questionnaireId, version: survey.version, completed: false })
  }

  visible(survey, answers) {
    const visible = {}
    const values = {}
    survey.questions.forEach(q => {
      if (!q.visibleIf || logic.isTrue(q.visibleIf, values)) {
        visible[q.id] = true
        if (answers[q.id] !== undefined) values[q.id] = answers[q.id]
      }
    })
    return { visible, values }
  }

  checkValue(q, value) {
    const scale = { nps: [0, 10], csat: [1, 5], ces: [1, 7], rating: [q.scale && q.scale.min, q.scale && q.scale.max] }[q.type]
    if (scale) {
      if (!Number.isInteger(value)) return 'Choose one point of the scale (a whole number).'
      if (value < scale[0] || value > scale[1]) return value + ' is outside ' + scale[0] + '-' + scale[1] + '.'
    } else if (q.type === 'singleChoice') {
      if (typeof value !== 'string' || !q.choices.some(c => c.value === value)) return "'" + value + "' is not one of the options."
    } else if (q.type === 'multipleChoice') {
      if (!Array.isArray(value) || value.some(v => typeof v !== 'string')) return 'Choose options from the list.'
      if (value.some(v => !q.choices.some(c => c.value === v))) return 'Unknown option.'
      if (new Set(value).size !== value.length) return 'An option is chosen twice.'
      if (q.maxChoices && value.length > q.maxChoices) return 'Choose at most ' + q.maxChoices + '.'
      if (q.minChoices && value.length < q.minChoices) return 'Choose at least ' + q.minChoices + '.'
    } else if (q.type === 'freeText') {
      if (typeof value !== 'string') return 'Write your answer as text.'
      if (value.length > (q.maxLength || 10000)) return 'Keep it under ' + (q.maxLength || 10000) + ' characters.'
    }
    return null
  }

  write(id, req, complete) {
    const body = req.body
    const response = this.responses[id]
    if (!body || typeof body !== 'object') { this.violation('save without a JSON body', req); return validation({ $: ['The body is not valid JSON.'] }) }
    Object.keys(body).forEach(k => { if (k !== 'sequence' && k !== 'answers') this.violation('unknown save field ' + k, req) })
    if (!Number.isInteger(body.sequence)) this.violation('sequence is not an integer', req)
    if (!complete && (!body.answers || typeof body.answers !== 'object')) this.violation('a save without answers', req)
    if (body.sequence < 1 || body.sequence > 10000) return validation({ sequence: ['Saves are numbered from 1 to 10000.'] })
    if (!response) return problem(404, 'Not found.', { detail: 'This response was never started.' })
    const fingerprint = JSON.stringify(body.answers || {})
    if (complete) {
      if (response.completed) {
        return response.completedSequence === body.sequence
          ? ok(200, { responseId: id, sequence: body.sequence, completed: true })
          : problem(409, 'This survey has already been submitted. Thank you!', { code: 'completed' })
      }
      if (response.saves[body.sequence] !== undefined) return problem(409, 'Save number ' + body.sequence + ' was already used for different answers.', { code: 'sequence-reused' })
    } else if (response.saves[body.sequence] !== undefined) {
      if (response.saves[body.sequence] === fingerprint) return ok(200, { responseId: id, sequence: body.sequence, completed: response.completed })
      return problem(409, 'Save number ' + body.sequence + ' was already used for different answers.', { code: 'sequence-reused' })
    } else if (response.completed) {
      return problem(409, 'This survey has already been submitted. Thank you!', { code: 'completed' })
    }
    // Apply to a copy: a refused save changes nothing.
    const answers = Object.assign({}, response.answers)
    const given = body.answers || {}
    Object.keys(given).forEach(k => { if (given[k] === null) delete answers[k]; else answers[k] = given[k] })
    const errors = {}
    const { visible, values } = this.visible(response.survey, answers)
    Object.keys(given).forEach(k => {
      const q = response.survey.questions.find(x => x.id === k)
      if (!q) { errors[k] = ["There is no question '" + k + "' in this survey."]; return }
      if (given[k] === null) return
      if (!visible[k]) { errors[k] = ['This question is not shown for your earlier answers (' + q.visibleIf + '), so it cannot be answered.']; return }
      const wrong = this.checkValue(q, given[k])
      if (wrong) errors[k] = [wrong]
    })
    Object.keys(answers).forEach(k => { if (!visible[k]) delete answers[k] }) // answers logic now hides are dropped
    if (complete && !Object.keys(errors).length) {
      response.survey.questions.forEach(q => {
        const required = q.required || (q.requiredIf && logic.isTrue(q.requiredIf, values))
        if (visible[q.id] && required && answers[q.id] === undefined) errors[q.id] = ['Please answer this question.']
      })
    }
    if (Object.keys(errors).length) return validation(errors)
    response.answers = answers
    response.saves[body.sequence] = fingerprint
    response.applied.push(body.sequence)
    if (complete) {
      response.completed = true
      response.completedSequence = body.sequence
    }
    return ok(200, { responseId: id, sequence: body.sequence, completed: response.completed })
  }
}

/** The fake wx. `online` false makes wx.request fail as it does without a network; setOnline(true) tells listeners. */
function createWx(options) {
  const opts = Object.assign({ language: 'zh_CN', platform: 'ios', model: 'iPhone 15' }, options || {})
  const server = opts.server || new FakeApi()
  const storage = opts.storage || new Map()
  const networkListeners = []
  const wx = {
    server,
    storage,
    online: true,
    inflight: 0,
    requests: [], // every wx.request call, delivered or not: { method, url, body, delivered }
    request(req) {
      const method = (req.method || 'GET').toUpperCase()
      const header = req.header || {}
      const contentType = Object.keys(header).find(k => k.toLowerCase() === 'content-type')
      if (method !== 'GET' && (!contentType || !/^application\/json/.test(header[contentType]))) {
        server.violations.push(method + ' ' + req.url + ' without content-type application/json')
      }
      if (!req.url.startsWith(API + '/api/public/')) server.violations.push('request outside the public API: ' + req.url)
      const url = new URL(req.url)
      const record = { method, url: req.url, body: clone(req.data), delivered: false }
      wx.requests.push(record)
      wx.inflight++
      const task = { abort() {} }
      setTimeout(() => {
        wx.inflight--
        if (!wx.online) {
          req.fail && req.fail({ errMsg: 'request:fail -101:net::ERR_INTERNET_DISCONNECTED' })
          req.complete && req.complete({})
          return
        }
        record.delivered = true
        const query = {}
        url.searchParams.forEach((v, k) => { query[k] = v })
        const reply = server.handle({ method, path: url.pathname, query, body: clone(req.data), header: clone(header) })
        record.status = reply.status
        // wx.request parses JSON when dataType is json; the body arrives as an object.
        const data = req.dataType === 'json' || req.dataType === undefined ? clone(reply.data) : JSON.stringify(reply.data)
        const res = { statusCode: reply.status, data, header: reply.header || {}, errMsg: 'request:ok' }
        req.success && req.success(res)
        req.complete && req.complete(res)
      }, 1)
      return task
    },
    getStorageSync(key) {
      return storage.has(key) ? clone(storage.get(key)) : ''
    },
    setStorageSync(key, value) {
      storage.set(key, clone(value))
    },
    removeStorageSync(key) {
      storage.delete(key)
    },
    getSystemInfoSync() {
      return { language: opts.language, platform: opts.platform, model: opts.model, system: 'iOS 17.4', SDKVersion: '3.4.0' }
    },
    getRandomValues(o) {
      const bytes = crypto.randomBytes(o.length)
      setTimeout(() => o.success && o.success({ randomValues: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) }), 0)
    },
    onNetworkStatusChange(listener) {
      networkListeners.push(listener)
    },
    setOnline(online) {
      wx.online = online
      networkListeners.forEach(l => l({ isConnected: online, networkType: online ? 'wifi' : 'none' }))
    },
    pageScrollTo() {},
  }
  return wx
}

module.exports = { FakeApi, createWx, UUID }
