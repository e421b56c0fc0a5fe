'use strict'
/**
 * The <survey> component under miniprogram-simulate against a fake respondent API that checks each request as
 * docs/respondent-api.md describes it.
 */
const { test, afterEach } = require('node:test')
const assert = require('node:assert/strict')

const { createWx, FakeApi, UUID } = require('./helpers/fake-wx.js')
const { API, TOKEN, LINK, MEMBER_TOKEN } = require('./helpers/fixtures.js')
const { mount, until, settle, resetMemory, store, outbox } = require('./helpers/mount.js')
const ui = require('./helpers/ui.js')

const mounted = []
function open(wx, properties) {
  const comp = mount(wx, properties)
  mounted.push(comp)
  return comp
}

afterEach(() => {
  mounted.splice(0).forEach(comp => { try { comp.detach() } catch (error) { /* already detached */ } })
  resetMemory()
  outbox.settings.baseDelayMs = 1000
})

/** The requests that reached the server, as method + path relative to the API + body. */
function delivered(wx) {
  return wx.requests.filter(r => r.delivered).map(r => ({ method: r.method, path: r.url.slice(API.length), body: r.body, status: r.status }))
}

function writes(wx) {
  return delivered(wx).filter(r => r.method !== 'GET')
}

function responseIdOf(request) {
  return /\/api\/public\/responses\/([^/]+)/.exec(request.path)[1]
}

const START = { source: { kind: 'invitation', token: TOKEN }, locale: 'zh-CN', channel: 'miniProgram', device: 'mobile' }

async function ready(wx, properties) {
  const comp = open(wx, properties)
  await settle(wx)
  await until(() => comp.data.status !== 'loading', 3000, 'the survey to load')
  return comp
}

test('renders the first question: the NPS scale 0-10 with its labels, the title and the progress', async () => {
  const wx = createWx()
  const comp = await ready(wx)

  assert.deepEqual(wx.requests.map(r => r.method + ' ' + r.url), ['GET ' + API + '/api/public/surveys/by-token/' + TOKEN + '?locale=zh-CN'])
  assert.equal(comp.data.status, 'answering')
  assert.equal(ui.text(comp.dom.querySelector('.main--title')), '售后服务调查')
  assert.deepEqual(ui.shownQuestions(comp), ['nps'], 'the follow-up stays hidden until the score is known')
  assert.equal(ui.text(ui.question(comp, 'nps').querySelector('.main--question-text')), '您向朋友推荐上海浦东店的可能性有多大？ *')
  assert.deepEqual(ui.points(comp, 'nps').map(p => ui.text(p.dom)), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'])
  assert.equal(ui.selectedPoint(comp, 'nps'), null)
  const scale = comp.querySelector('#scale-nps').dom
  assert.equal(ui.text(scale.querySelector('.survey-scale--label-min')), '完全不可能')
  assert.equal(ui.text(scale.querySelector('.survey-scale--label-max')), '非常可能')
  assert.equal(ui.progressText(comp), '第 1 / 3 页')
  assert.ok(comp.querySelector('.next'), 'a next button')
  assert.equal(comp.querySelector('.submit'), undefined)
  assert.match(comp.dom.querySelector('.main--survey').getAttribute('style'), /--survey-primary: \\?#1d4ed8/)
  assert.deepEqual(wx.server.violations, [])
})

test('one tap on an NPS point starts the response and saves the score', async () => {
  const wx = createWx()
  const comp = await ready(wx)

  await ui.tapPoint(comp, 'nps', 3)
  await settle(wx)

  const sent = writes(wx)
  assert.equal(sent.length, 2)
  assert.equal(sent[0].method, 'PUT')
  assert.match(sent[0].path, /^\/api\/public\/responses\/[0-9a-f-]{36}$/)
  assert.match(responseIdOf(sent[0]), UUID)
  assert.deepEqual(sent[0].body, START)
  assert.equal(sent[0].status, 201)
  assert.deepEqual(sent[1], { method: 'POST', path: sent[0].path + '/saves', body: { sequence: 1, answers: { nps: 3 } }, status: 200 })
  assert.equal(ui.selectedPoint(comp, 'nps'), 3)
  assert.deepEqual(ui.shownQuestions(comp), ['nps', 'wrong'], 'a detractor is asked what went wrong')
  assert.deepEqual(wx.server.responses[responseIdOf(sent[0])].answers, { nps: 3 })

  await ui.tapPoint(comp, 'nps', 5)
  await settle(wx)
  assert.deepEqual(writes(wx)[2].body, { sequence: 2, answers: { nps: 5 } }, 'changing the score saves again under the next number')
  assert.equal(writes(wx).length, 3, 'the response is started once')
  assert.deepEqual(wx.server.violations, [])
})

test('logic hides a follow-up when the score changes, and its answer is dropped', async () => {
  const wx = createWx()
  const comp = await ready(wx)

  // Chosen but not saved yet, then hidden: it is never sent.
  await ui.tapPoint(comp, 'nps', 3)
  await ui.tapChoice(comp, 'wrong', 'wait')
  assert.deepEqual(ui.selectedChoices(comp, 'wrong'), ['wait'])
  await ui.tapPoint(comp, 'nps', 9)
  await settle(wx)
  assert.deepEqual(ui.shownQuestions(comp), ['nps'])
  assert.deepEqual(writes(wx).map(r => r.body.answers), [undefined, { nps: 3 }, { nps: 9 }])

  await ui.tapButton(comp, 'next')
  await settle(wx)
  assert.equal(writes(wx).length, 3, 'nothing changed since the last save')

  // Saved while shown, then hidden: the server is told to clear it.
  await ui.tapButton(comp, 'back')
  await ui.tapPoint(comp, 'nps', 2)
  await ui.tapChoice(comp, 'wrong', 'price')
  await ui.tapButton(comp, 'next')
  await settle(wx)
  assert.deepEqual(writes(wx)[4].body, { sequence: 4, answers: { wrong: ['wait', 'price'] } }, 'the earlier choice comes back when shown again')
  await ui.tapButton(comp, 'back')
  await ui.tapPoint(comp, 'nps', 10)
  await settle(wx)
  assert.deepEqual(writes(wx)[5].body, { sequence: 5, answers: { nps: 10, wrong: null } })
  const id = responseIdOf(writes(wx)[0])
  assert.deepEqual(wx.server.responses[id].answers, { nps: 10 })
  assert.deepEqual(wx.server.responses[id].applied, [1, 2, 3, 4, 5])
  assert.deepEqual(wx.server.violations, [])
})

test('required questions are checked before next and submit', async () => {
  const wx = createWx()
  const comp = await ready(wx)

  await ui.tapButton(comp, 'next')
  await settle(wx)
  assert.deepEqual(ui.errorsOf(comp, 'nps'), ['请回答此问题。'])
  assert.equal(ui.progressText(comp), '第 1 / 3 页', 'stays on the page')
  assert.equal(writes(wx).length, 0, 'nothing is sent')

  await ui.tapPoint(comp, 'nps', 4)
  assert.deepEqual(ui.errorsOf(comp, 'nps'), [], 'answering clears the message')
  await ui.tapChoice(comp, 'wrong', 'wait')
  await ui.tapButton(comp, 'next')
  assert.equal(ui.progressText(comp), '第 2 / 3 页')

  await ui.tapButton(comp, 'next')
  assert.deepEqual(ui.errorsOf(comp, 'csat'), ['请回答此问题。'])
  assert.deepEqual(ui.errorsOf(comp, 'visit'), [], 'an optional question may stay empty')
  await ui.tapPoint(comp, 'csat', 2)
  await ui.tapButton(comp, 'next')
  assert.equal(ui.progressText(comp), '第 3 / 3 页')

  // requiredIf: "{wrong} contains 'wait'"
  assert.match(ui.text(ui.question(comp, 'comment').querySelector('.main--question-text')), /\*$/)
  await ui.tapButton(comp, 'submit')
  await settle(wx)
  assert.deepEqual(ui.errorsOf(comp, 'comment'), ['请回答此问题。'])
  assert.ok(!writes(wx).some(r => r.path.endsWith('/complete')), 'no completion with a required answer missing')

  await ui.type(comp, 'comment', '等了一个小时')
  await ui.tapButton(comp, 'submit')
  await settle(wx)
  const complete = writes(wx).filter(r => r.path.endsWith('/complete'))
  assert.equal(complete.length, 1)
  assert.equal(complete[0].status, 200)
  assert.deepEqual(comp.events.filter(e => e.name === 'error'), [])
  assert.deepEqual(wx.server.violations, [])
})

test('pages advance with a progress indicator; back keeps answers; submit completes', async () => {
  const wx = createWx()
  const comp = await ready(wx)

  await ui.tapPoint(comp, 'nps', 9)
  assert.equal(comp.data.progress, 33)
  await ui.tapButton(comp, 'next')
  assert.equal(ui.progressText(comp), '第 2 / 3 页')
  assert.equal(comp.data.progress, 67)
  assert.deepEqual(ui.shownQuestions(comp), ['csat', 'visit'])
  assert.deepEqual(ui.points(comp, 'csat').map(p => ui.text(p.dom)), ['1', '2', '3', '4', '5'])

  await ui.tapButton(comp, 'back')
  assert.equal(ui.progressText(comp), '第 1 / 3 页')
  assert.equal(ui.selectedPoint(comp, 'nps'), 9)
  assert.equal(comp.querySelector('.back'), undefined, 'no back on the first page')
  await ui.tapButton(comp, 'next')
  await ui.tapPoint(comp, 'csat', 4)
  await ui.tapChoice(comp, 'visit', 'repair')
  await ui.tapChoice(comp, 'visit', 'maintenance')
  assert.deepEqual(ui.selectedChoices(comp, 'visit'), ['maintenance'], 'single choice keeps one')
  await ui.tapButton(comp, 'next')
  assert.equal(ui.progressText(comp), '第 3 / 3 页')
  assert.equal(comp.data.progress, 100)
  assert.equal(comp.querySelector('.next'), undefined)
  assert.ok(comp.querySelector('.submit'))

  // Piping: the comment question quotes the respondent's own score.
  assert.equal(ui.text(ui.question(comp, 'comment').querySelector('.main--question-text')), '您打了 9 分，还有什么想说的？')
  assert.equal(ui.text(comp.dom.querySelector('.main--counter')), '0/200')
  await ui.type(comp, 'comment', '服务很好')
  assert.equal(ui.text(comp.dom.querySelector('.main--counter')), '4/200')
  await ui.tapButton(comp, 'submit')
  await settle(wx)

  const sent = writes(wx)
  const id = responseIdOf(sent[0])
  assert.deepEqual(sent.map(r => r.method + ' ' + r.path.replace(id, '{id}') + ' ' + JSON.stringify(r.body.sequence || null)), [
    'PUT /api/public/responses/{id} null',
    'POST /api/public/responses/{id}/saves 1',
    'POST /api/public/responses/{id}/saves 2',
    'POST /api/public/responses/{id}/complete 3',
  ])
  assert.deepEqual(sent[2].body.answers, { csat: 4, visit: 'maintenance' })
  assert.deepEqual(sent[3].body, { sequence: 3, answers: { comment: '服务很好' } })
  assert.equal(comp.data.status, 'done')
  assert.equal(ui.text(comp.dom.querySelector('.main--state-title')), '感谢您的反馈！')
  assert.deepEqual(comp.events, [{ name: 'completed', detail: { responseId: id } }])
  assert.equal(wx.server.responses[id].completed, true)
  assert.deepEqual(wx.server.responses[id].answers, { nps: 9, csat: 4, visit: 'maintenance', comment: '服务很好' })
  assert.deepEqual(wx.server.violations, [])
})

test('a request that fails offline is queued and sent in order, exactly once, when the network returns', async () => {
  outbox.settings.baseDelayMs = 60000 // only the network coming back may trigger the resend here
  const wx = createWx()
  const comp = await ready(wx)

  wx.online = false
  await ui.tapPoint(comp, 'nps', 8)
  await settle(wx)
  assert.equal(comp.data.offline, true)
  assert.match(ui.text(comp.dom.querySelector('.main--notice')), /网络不可用/)
  const networkErrors = comp.events.filter(e => e.name === 'error')
  assert.equal(networkErrors.length, 1)
  assert.equal(networkErrors[0].detail.kind, 'network')
  assert.equal(networkErrors[0].detail.willRetry, true)

  await ui.tapButton(comp, 'next')
  await ui.tapPoint(comp, 'csat', 5)
  await ui.tapChoice(comp, 'visit', 'repair')
  await ui.tapButton(comp, 'next')
  await settle(wx)
  assert.equal(writes(wx).length, 0, 'nothing reached the server')
  assert.ok(wx.requests.filter(r => r.method !== 'GET').length >= 1, 'but it was tried')
  const key = store.keyFor({ token: TOKEN })
  const queued = wx.getStorageSync(key).outbox
  assert.deepEqual(queued.map(i => i.kind + ':' + (i.sequence || '')), ['start:', 'save:1', 'save:2'], 'the queue is in storage')
  assert.deepEqual(wx.getStorageSync(store.PENDING_KEY), [key])

  wx.setOnline(true)
  await settle(wx)
  await until(() => outbox.pendingCount(key) === 0, 3000, 'the queue to drain')

  const sent = writes(wx)
  const id = responseIdOf(sent[0])
  assert.deepEqual(sent.map(r => r.method + ' ' + r.path + ' ' + JSON.stringify(r.body)), [
    'PUT /api/public/responses/' + id + ' ' + JSON.stringify(START),
    'POST /api/public/responses/' + id + '/saves ' + JSON.stringify({ sequence: 1, answers: { nps: 8 } }),
    'POST /api/public/responses/' + id + '/saves ' + JSON.stringify({ sequence: 2, answers: { csat: 5, visit: 'repair' } }),
  ], 'each request once, in order, under one response id')
  assert.deepEqual(wx.server.responses[id].applied, [1, 2])
  assert.deepEqual(wx.getStorageSync(key).outbox, [])
  assert.deepEqual(wx.getStorageSync(store.PENDING_KEY), [])
  assert.equal(comp.data.offline, false)
  assert.equal(ui.progressText(comp), '第 3 / 3 页', 'answering went on while offline')
  assert.deepEqual(wx.server.violations, [])
})

test('5xx, 408 and 429 answers are retried with the same response id and save number', async () => {
  outbox.settings.baseDelayMs = 5
  const wx = createWx()
  const comp = await ready(wx)
  const isSave = sequence => req => req.method === 'POST' && /\/saves$/.test(req.path) && req.body.sequence === sequence
  wx.server.script(isSave(1), { status: 503, header: {}, data: { title: 'Service unavailable', status: 503 } })
  wx.server.script(isSave(1), { status: 429, header: { 'Retry-After': '0' }, data: { title: 'Too many requests. Please wait a moment and try again.', status: 429 } })
  wx.server.script(isSave(1), { status: 408, header: {}, data: null })

  await ui.tapPoint(comp, 'nps', 10)
  const applied = () => {
    const start = writes(wx)[0]
    const response = start && wx.server.responses[responseIdOf(start)]
    return response ? response.applied.length : 0
  }
  await until(() => applied() === 1, 3000, 'the save to be applied')
  await settle(wx)

  const saves = writes(wx).filter(r => r.path.endsWith('/saves'))
  assert.deepEqual(saves.map(r => r.status), [503, 429, 408, 200])
  assert.ok(saves.every(r => r.path === saves[0].path && JSON.stringify(r.body) === JSON.stringify({ sequence: 1, answers: { nps: 10 } })))
  assert.equal(comp.events.filter(e => e.name === 'error').length, 1, 'one error event for the outage, not one per try')
  assert.equal(comp.data.offline, false)
})

test('resumes from storage after the mini-program was closed, with the same response and save numbers', async () => {
  outbox.settings.baseDelayMs = 60000
  const storage = new Map()
  const server = new FakeApi()
  const first = createWx({ storage, server })
  let comp = await ready(first)

  await ui.tapPoint(comp, 'nps', 3)
  await ui.tapChoice(comp, 'wrong', 'wait')
  await ui.tapButton(comp, 'next')
  await settle(first)
  first.online = false
  await ui.tapPoint(comp, 'csat', 2)
  await ui.tapButton(comp, 'next')
  await settle(first)
  assert.equal(ui.progressText(comp), '第 3 / 3 页')
  await ui.type(comp, 'comment', '排队太久')
  const id = responseIdOf(writes(first)[0])
  assert.deepEqual(writes(first).map(r => r.body.sequence || 0), [0, 1, 2])

  // The mini-program is closed: the component and every module's memory are gone; storage stays.
  comp.detach()
  resetMemory()
  const second = createWx({ storage, server })
  comp = await ready(second)

  assert.equal(second.requests.filter(r => r.method === 'GET').length, 0, 'the survey comes from storage')
  assert.equal(ui.progressText(comp), '第 3 / 3 页', 'back on the page where the respondent left')
  assert.equal(comp.data.questions[0].textValue, '排队太久', 'with the text typed so far')
  await settle(second)
  assert.deepEqual(writes(second).map(r => r.path + ' ' + JSON.stringify(r.body)), [
    '/api/public/responses/' + id + '/saves ' + JSON.stringify({ sequence: 3, answers: { csat: 2 } }),
  ], 'the queued save goes out under its number')

  await ui.tapButton(comp, 'back')
  assert.equal(ui.selectedPoint(comp, 'csat'), 2, 'earlier answers are restored too')
  await ui.tapButton(comp, 'next')
  await ui.tapButton(comp, 'submit')
  await settle(second)
  assert.deepEqual(writes(second).slice(1).map(r => r.path + ' ' + JSON.stringify(r.body)), [
    '/api/public/responses/' + id + '/saves ' + JSON.stringify({ sequence: 4, answers: { comment: '排队太久' } }),
    '/api/public/responses/' + id + '/complete ' + JSON.stringify({ sequence: 5 }),
  ], 'leaving page 2 saved the unsaved comment; the completion carries nothing new')
  assert.equal(comp.data.status, 'done')
  assert.deepEqual(comp.events, [{ name: 'completed', detail: { responseId: id } }])
  assert.deepEqual(Object.keys(server.responses), [id], 'one response')
  assert.deepEqual(server.responses[id].applied, [1, 2, 3, 4, 5])
  assert.deepEqual(server.responses[id].answers, { nps: 3, wrong: ['wait'], csat: 2, comment: '排队太久' })

  // Opened once more after completing: thanks, nothing sent.
  comp.detach()
  resetMemory()
  const third = createWx({ storage, server })
  comp = await ready(third)
  assert.equal(comp.data.status, 'done')
  assert.equal(third.requests.length, 0)
  assert.deepEqual(server.violations, [])
})

test('a server validation error is shown next to its question and not retried', async () => {
  const wx = createWx()
  const comp = await ready(wx)
  wx.server.script(req => req.method === 'POST' && req.body.answers && req.body.answers.csat === 1, {
    status: 400,
    header: { 'Content-Type': 'application/problem+json' },
    data: { type: 'https://survey-engine.dev/problems/validation', title: 'The request is not valid.', status: 400, detail: '1 is not accepted here.', errors: { csat: ['1 is not accepted here.'] } },
  })

  await ui.tapPoint(comp, 'nps', 7)
  await ui.tapButton(comp, 'next')
  await ui.tapPoint(comp, 'csat', 1)
  await ui.tapButton(comp, 'next')
  await settle(wx)

  assert.equal(ui.progressText(comp), '第 2 / 3 页', 'taken back to the question with the problem')
  assert.deepEqual(ui.errorsOf(comp, 'csat'), ['1 is not accepted here.'])
  assert.equal(ui.text(comp.dom.querySelector('.main--message')), '请检查标出的回答。')
  const errors = comp.events.filter(e => e.name === 'error')
  assert.equal(errors.length, 1)
  assert.deepEqual(errors[0].detail, { kind: 'save', status: 400, title: 'The request is not valid.', errors: { csat: ['1 is not accepted here.'] }, responseId: responseIdOf(writes(wx)[0]), willRetry: false })

  await new Promise(resolve => setTimeout(resolve, 50))
  assert.equal(writes(wx).filter(r => r.body && r.body.sequence === 2).length, 1, 'a 400 is not retried')

  await ui.tapPoint(comp, 'csat', 3)
  assert.deepEqual(ui.errorsOf(comp, 'csat'), [])
  await ui.tapButton(comp, 'next')
  await settle(wx)
  assert.deepEqual(writes(wx).slice(-1)[0].body, { sequence: 3, answers: { csat: 3 } }, 'the fixed answer goes under a new number')
  assert.equal(writes(wx).slice(-1)[0].status, 200)
  assert.equal(ui.progressText(comp), '第 3 / 3 页')
})

test('a completion refused for a missing answer shows it on its page', async () => {
  const wx = createWx()
  const comp = await ready(wx)
  await ui.tapPoint(comp, 'nps', 9)
  await ui.tapButton(comp, 'next')
  await ui.tapPoint(comp, 'csat', 5)
  await ui.tapButton(comp, 'next')
  wx.server.script(req => /\/complete$/.test(req.path), {
    status: 400,
    header: { 'Content-Type': 'application/problem+json' },
    data: { title: 'The request is not valid.', status: 400, errors: { visit: ['Please answer this question.'] } },
  })
  await ui.tapButton(comp, 'submit')
  await settle(wx)
  assert.equal(comp.data.status, 'answering')
  assert.equal(ui.progressText(comp), '第 2 / 3 页')
  assert.deepEqual(ui.errorsOf(comp, 'visit'), ['Please answer this question.'])
  assert.deepEqual(comp.events.map(e => e.name + ':' + e.detail.kind + ':' + e.detail.status), ['error:complete:400'])
})

test('an expired invitation, a forged token and an answered invitation say so', async () => {
  const expired = createWx()
  expired.server.expiredTokens[TOKEN] = true
  let comp = await ready(expired)
  assert.equal(comp.data.status, 'error')
  assert.equal(ui.text(comp.dom.querySelector('.main--state-text')), '此问卷已过期，感谢您的关注。')
  assert.deepEqual(comp.events.map(e => [e.name, e.detail.kind, e.detail.status]), [['error', 'load', 410]])

  const forged = createWx()
  comp = await ready(forged, { token: 'inv_forged' })
  assert.equal(ui.text(comp.dom.querySelector('.main--state-text')), '此问卷链接无效。')

  const answered = createWx()
  answered.server.answeredTokens[TOKEN] = '0195a3c4-0000-4000-8000-000000000001'
  comp = await ready(answered)
  assert.equal(comp.data.status, 'already')
  assert.equal(ui.text(comp.dom.querySelector('.main--state-title')), '您已完成此问卷，感谢参与！')
  assert.equal(writes(answered).length, 0)

  const offline = createWx()
  offline.online = false
  comp = await ready(offline)
  assert.equal(comp.data.status, 'error')
  assert.ok(comp.querySelector('.btn'), 'a retry button')
  offline.online = true
  await ui.tapButton(comp, 'btn')
  await settle(offline)
  assert.equal(comp.data.status, 'answering')
})

test('an open link loads by link id and starts with the link as source', async () => {
  const wx = createWx()
  const comp = await ready(wx, { token: '', linkId: LINK })
  assert.equal(wx.requests[0].url, API + '/api/public/surveys/by-link/' + LINK + '?locale=zh-CN')
  await ui.tapPoint(comp, 'nps', 6)
  await settle(wx)
  assert.deepEqual(writes(wx)[0].body, { source: { kind: 'link', linkId: LINK }, locale: 'zh-CN', channel: 'miniProgram', device: 'mobile' })
  assert.deepEqual(wx.server.violations, [])
})

test('English strings for an English phone, Chinese for a Chinese one, and the locale property wins', async () => {
  const en = createWx({ language: 'en_US' })
  let comp = await ready(en)
  assert.equal(en.requests[0].url, API + '/api/public/surveys/by-token/' + TOKEN + '?locale=en')
  assert.equal(ui.text(comp.dom.querySelector('.main--title')), 'After-service survey')
  assert.equal(ui.progressText(comp), 'Page 1 of 3')
  assert.equal(ui.text(comp.querySelector('.next').dom), 'Next')
  await ui.tapButton(comp, 'next')
  assert.deepEqual(ui.errorsOf(comp, 'nps'), ['Please answer this question.'])
  await ui.tapPoint(comp, 'nps', 2)
  assert.equal(comp.data.questions[1].hint, 'Choose up to 2')
  await ui.tapButton(comp, 'next')
  assert.equal(ui.text(comp.querySelector('.back').dom), 'Back')
  await settle(en)
  assert.equal(writes(en)[0].body.locale, 'en')

  resetMemory()
  const zh = createWx({ language: 'zh_CN' })
  comp = await ready(zh)
  assert.equal(ui.text(comp.querySelector('.next').dom), '下一页')
  await ui.tapPoint(comp, 'nps', 2)
  assert.equal(comp.data.questions[1].hint, '最多选择 2 项')

  resetMemory()
  const chosen = createWx({ language: 'zh_CN' })
  comp = await ready(chosen, { locale: 'en-GB' })
  assert.equal(chosen.requests[0].url, API + '/api/public/surveys/by-token/' + TOKEN + '?locale=en-GB')
  assert.equal(ui.progressText(comp), 'Page 1 of 3')
})

test('multiple choice stops at maxChoices; free text has a counter and a limit', async () => {
  const wx = createWx()
  const comp = await ready(wx)
  await ui.tapPoint(comp, 'nps', 1)
  await ui.tapChoice(comp, 'wrong', 'wait')
  await ui.tapChoice(comp, 'wrong', 'staff')
  await ui.tapChoice(comp, 'wrong', 'price')
  assert.deepEqual(ui.selectedChoices(comp, 'wrong'), ['wait', 'staff'])
  const price = comp.querySelector('#choice-wrong').querySelectorAll('.choice').find(c => c.dom.getAttribute('data-value') === 'price')
  assert.ok(price.dom.classList.contains('survey-choice--disabled'))
  await ui.tapChoice(comp, 'wrong', 'wait')
  await ui.tapChoice(comp, 'wrong', 'price')
  assert.deepEqual(ui.selectedChoices(comp, 'wrong'), ['price', 'staff'], 'in the order of the options')
  await ui.tapButton(comp, 'next')
  await ui.tapPoint(comp, 'csat', 3)
  await ui.tapButton(comp, 'next')
  await settle(wx)
  assert.deepEqual(writes(wx).slice(2).map(r => r.body), [
    { sequence: 2, answers: { wrong: ['price', 'staff'] } },
    { sequence: 3, answers: { csat: 3 } },
  ])
  assert.equal(comp.data.questions[0].maxLength, 200)
})

test('theme: the server theme colours the survey and the primary-color property overrides it', async () => {
  const wx = createWx()
  const comp = await ready(wx, { primaryColor: '#c8102e' })
  const style = comp.dom.querySelector('.main--survey').getAttribute('style')
  assert.match(style, /--survey-primary: \\?#c8102e/)
  assert.match(style, /--survey-radius: 8px/)
  assert.match(style, /--survey-text: \\?#111827/)
})

test('the response id is a UUID v4 made from wx.getRandomValues, or Math.random without it', async () => {
  const { lib } = require('./helpers/env.js')
  const uuid = lib('uuid')
  let asked = 0
  global.wx = { getRandomValues: o => { asked++; o.success({ randomValues: new Uint8Array(16).fill(255).buffer }) } }
  assert.equal(await uuid.uuidV4(), 'ffffffff-ffff-4fff-bfff-ffffffffffff')
  assert.equal(asked, 1)
  global.wx = {}
  const ids = new Set()
  for (let i = 0; i < 50; i++) ids.add(await uuid.uuidV4())
  assert.equal(ids.size, 50)
  ids.forEach(id => assert.match(id, UUID))
})

test('an invitation that expires or is answered elsewhere while answering closes the survey', async () => {
  const wx = createWx()
  let comp = await ready(wx)
  wx.server.script(req => req.method === 'PUT', { status: 410, header: {}, data: { title: 'This survey has closed.', status: 410 } })
  await ui.tapPoint(comp, 'nps', 9)
  await settle(wx)
  assert.equal(comp.data.status, 'closed')
  assert.equal(ui.text(comp.dom.querySelector('.main--state-text')), '此问卷已过期，感谢您的关注。')
  assert.deepEqual(comp.events.map(e => [e.name, e.detail.kind, e.detail.status]), [['error', 'start', 410]])
  assert.deepEqual(wx.getStorageSync(store.keyFor({ token: TOKEN })).outbox, [], 'nothing is left to send')
  assert.equal(writes(wx).length, 1, 'the save behind the refused start is not sent')

  resetMemory()
  const other = createWx({ language: 'en' })
  comp = await ready(other)
  await ui.tapPoint(comp, 'nps', 9)
  await ui.tapButton(comp, 'next')
  await ui.tapPoint(comp, 'csat', 4)
  await ui.tapButton(comp, 'next')
  other.server.script(req => /\/complete$/.test(req.path), {
    status: 409, header: {}, data: { title: 'This survey has already been answered. Thank you!', status: 409, code: 'already-answered' },
  })
  await ui.tapButton(comp, 'submit')
  await settle(other)
  assert.equal(comp.data.status, 'closed')
  assert.equal(ui.text(comp.dom.querySelector('.main--state-text')), 'You have already answered this survey. Thank you!')
  assert.deepEqual(comp.events.map(e => e.name + ':' + e.detail.kind + ':' + e.detail.status), ['error:complete:409'])
})

test('answers not yet saved are sent when the page hides', async () => {
  const wx = createWx()
  const comp = await ready(wx)
  await ui.tapPoint(comp, 'nps', 9)
  await ui.tapButton(comp, 'next')
  await ui.tapPoint(comp, 'csat', 3)
  await settle(wx)
  assert.equal(writes(wx).length, 2)
  comp.triggerPageLifeTime('hide')
  await settle(wx)
  assert.deepEqual(writes(wx)[2].body, { sequence: 2, answers: { csat: 3 } })
  comp.triggerPageLifeTime('hide')
  await settle(wx)
  assert.equal(writes(wx).length, 3, 'nothing new, nothing sent')
})

test('a token that arrives after the component is attached (set in the page onLoad) starts it', async () => {
  const wx = createWx()
  const comp = open(wx, { token: '' })
  await settle(wx)
  assert.equal(wx.requests.length, 0)
  comp.setData({ token: TOKEN })
  await settle(wx)
  await until(() => comp.data.status === 'answering', 3000, 'the survey to load')
  assert.equal(wx.requests[0].url, API + '/api/public/surveys/by-token/' + TOKEN + '?locale=zh-CN')
})

test('a signed-in member: the pending surveys are asked for with the member token and the newest opens', async () => {
  const wx = createWx()
  wx.server.pendingSurveys = [
    { invitationId: 'a1', questionnaireId: 'q', title: '售后服务调查', token: TOKEN, expiresAt: '2026-12-07T00:00:00Z', invitedAt: '2026-11-30T00:00:00Z' },
  ]
  const comp = open(wx, { token: '', memberToken: MEMBER_TOKEN })
  await settle(wx)
  await until(() => comp.data.status === 'answering', 3000, 'the pending survey to open')

  const gets = delivered(wx).map(r => r.method + ' ' + r.path.split('?')[0])
  assert.deepEqual(gets, ['GET /api/public/miniprogram/pending', 'GET /api/public/surveys/by-token/' + TOKEN])
  assert.ok(!wx.requests[0].url.includes(MEMBER_TOKEN), 'the member token travels in a header, not the URL')
  assert.deepEqual(comp.events.filter(e => e.name === 'pending').map(e => e.detail.surveys.length), [1])

  await ui.tapPoint(comp, 'nps', 9)
  await settle(wx)
  const start = writes(wx)[0]
  assert.deepEqual(start.body.source, { kind: 'invitation', token: TOKEN })
  assert.deepEqual(wx.server.violations, [])
})

test('a member with nothing waiting sees so, and the component asks again after poll-seconds', async () => {
  const wx = createWx()
  const comp = open(wx, { token: '', memberToken: MEMBER_TOKEN, pollSeconds: 0.05 })
  await settle(wx)
  await until(() => comp.data.status === 'none', 3000, 'the none-waiting state')
  assert.equal(ui.text(comp.dom.querySelector('.main--state-text')), '暂时没有待填写的问卷，感谢关注！')

  wx.server.pendingSurveys = [{ invitationId: 'a2', questionnaireId: 'q', title: 't', token: TOKEN, expiresAt: '2026-12-07T00:00:00Z', invitedAt: '2026-11-30T00:00:00Z' }]
  await until(() => comp.data.status === 'answering', 3000, 'the survey that arrived later to open')
  assert.ok(delivered(wx).filter(r => r.path.startsWith('/api/public/miniprogram/pending')).length >= 2)
  assert.deepEqual(wx.server.violations, [])
})

test('a member token the server refuses shows sign-in-again and stops asking', async () => {
  const wx = createWx()
  const comp = open(wx, { token: '', memberToken: 'expired.token', pollSeconds: 0.05 })
  await settle(wx)
  await until(() => comp.data.status === 'error', 3000, 'the error')
  assert.equal(comp.data.message, '登录已过期，请重新进入后再试。')
  assert.deepEqual(comp.events.filter(e => e.name === 'error').map(e => [e.detail.kind, e.detail.status]), [['member', 401]])
  await new Promise(resolve => setTimeout(resolve, 200))
  assert.equal(delivered(wx).length, 1, 'no polling after a refusal')
})
