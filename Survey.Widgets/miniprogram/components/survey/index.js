'use strict'
/**
 * <survey> — shows one survey and answers it through the public respondent API (docs/respondent-api.md).
 *
 *   <survey api-base="https://cx.example.com" token="{{token}}" bind:completed="onDone" bind:error="onError" />
 *   <survey api-base="https://cx.example.com" member-token="{{memberToken}}" bind:pending="onPending" />
 *
 * Properties: api-base (the API origin, a whitelisted request domain), token (invitation) or link-id (open link), or
 * member-token (a signed-in member, from POST /api/public/miniprogram/sessions: the component polls the member's pending
 * surveys every poll-seconds and opens the newest),
 * locale (default: the phone's language, zh-CN or en), channel ("miniProgram"), primary-color, use-server-theme.
 * Events: completed { responseId }, error { kind, status, title, errors, responseId, willRetry }, pending { surveys }.
 * See docs/miniprogram.md.
 */
const i18n = require('./lib/i18n.js')
const model = require('./lib/model.js')
const store = require('./lib/store.js')
const outbox = require('./lib/outbox.js')
const uuid = require('./lib/uuid.js')

function systemLanguage() {
  try {
    if (typeof wx.getAppBaseInfo === 'function') {
      const info = wx.getAppBaseInfo()
      if (info && info.language) return info.language
    }
    if (typeof wx.getSystemInfoSync === 'function') return (wx.getSystemInfoSync() || {}).language || ''
  } catch (error) { /* fall through */ }
  return ''
}

function systemDevice() {
  try {
    const info = typeof wx.getDeviceInfo === 'function' ? wx.getDeviceInfo() : wx.getSystemInfoSync()
    const platform = String((info && info.platform) || '').toLowerCase()
    const model = String((info && info.model) || '').toLowerCase()
    if (platform === 'windows' || platform === 'mac') return 'desktop'
    if (model.indexOf('ipad') >= 0 || model.indexOf('tablet') >= 0 || model.indexOf(' pad') >= 0) return 'tablet'
  } catch (error) { /* fall through */ }
  return 'mobile'
}

function trimBase(apiBase) {
  return String(apiBase || '').replace(/\/+$/, '')
}

function cssColor(value) {
  return typeof value === 'string' && /^[#a-zA-Z0-9(),.%\s-]{1,40}$/.test(value) ? value : ''
}

Component({
  options: { styleIsolation: 'isolated' },

  properties: {
    apiBase: { type: String, value: '' },
    token: { type: String, value: '' },
    linkId: { type: String, value: '' },
    memberToken: { type: String, value: '' },
    pollSeconds: { type: Number, value: 60 },
    locale: { type: String, value: '' },
    channel: { type: String, value: 'miniProgram' },
    primaryColor: { type: String, value: '' },
    useServerTheme: { type: Boolean, value: true },
  },

  data: {
    status: 'loading', // loading | error | answering | submitting | done | already | closed
    t: i18n.STRINGS.en,
    lang: 'en',
    title: '',
    description: '',
    message: '',
    offline: false,
    offlineText: '',
    canRetry: false,
    questions: [],
    page: 1,
    pageIndex: 1,
    pageTotal: 1,
    progress: 0,
    progressText: '',
    isFirst: true,
    isLast: true,
    themeStyle: '',
  },

  observers: {
    'apiBase, token, linkId, memberToken': function () {
      this._maybeStart()
    },
    primaryColor: function () {
      if (this._survey) this.setData({ themeStyle: this._themeStyle() })
    },
  },

  lifetimes: {
    attached() {
      this._attached = true
      this._errors = {}
      this._onOutbox = event => this._handleOutbox(event)
      outbox.subscribe(this._onOutbox)
      const lang = i18n.uiLocale(this._requestedLocale())
      this.setData({ t: i18n.strings(lang), lang })
      this._maybeStart()
    },
    ready() {
      if (!this._key) this._showError('config', 0, this.data.t.missingSource, false)
    },
    detached() {
      this._attached = false
      this._stopPolling()
      outbox.unsubscribe(this._onOutbox)
    },
  },

  pageLifetimes: {
    show() {
      outbox.flush()
      if (this.data.status === 'none') this._pollPending()
    },
    hide() {
      // The respondent may not come back: whatever they changed since the last save goes now.
      if (this._state && this.data.status === 'answering') this._queue('save')
    },
  },

  methods: {
    // ------------------------------------------------------------ loading

    _requestedLocale() {
      if (this.properties.locale) return this.properties.locale
      return i18n.uiLocale(systemLanguage())
    },

    _source() {
      if (this.properties.token) return { token: this.properties.token }
      if (this.properties.linkId) return { linkId: this.properties.linkId }
      if (this.properties.memberToken && this._memberSurveyToken) return { token: this._memberSurveyToken }
      return null
    },

    _maybeStart() {
      if (!this._attached || !this.properties.apiBase) return
      if (!this.properties.token && !this.properties.linkId && this.properties.memberToken && !this._memberSurveyToken) {
        this._pollPending()
        return
      }
      const key = store.keyFor(this._source())
      if (!key || key === this._key) return
      this._key = key
      this._errors = {}
      this._load()
    },

    /** Resumes from storage when this survey was begun on this phone, else fetches it. */
    _load() {
      const key = this._key
      const saved = store.load(key)
      if (saved && saved.survey) {
        this._state = saved
        this._survey = saved.survey
        this._render()
        outbox.flush()
        return
      }
      this.setData({ status: 'loading', message: '', canRetry: false })
      const source = this._source()
      const path = source.token
        ? '/api/public/surveys/by-token/' + encodeURIComponent(source.token)
        : '/api/public/surveys/by-link/' + encodeURIComponent(source.linkId)
      const url = trimBase(this.properties.apiBase) + path + '?locale=' + encodeURIComponent(this._requestedLocale())
      outbox.request({ url, method: 'GET' }).then(result => {
        if (key !== this._key || !this._attached) return
        if (!result.ok) {
          this._loadFailed(result)
          return
        }
        const survey = result.data
        const lang = i18n.uiLocale(survey.locale)
        this._survey = survey
        this.setData({ t: i18n.strings(lang), lang })
        if (survey.response && survey.response.completed) {
          this.setData({ status: 'already', title: survey.title || '', themeStyle: this._themeStyle() })
          return
        }
        uuid.uuidV4().then(responseId => {
          if (key !== this._key) return
          const pages = model.visiblePages(survey, model.evaluate(survey, {}).visible)
          this._state = store.put(key, {
            v: 1,
            survey,
            responseId,
            started: false,
            nextSequence: 1,
            answers: {},
            server: {},
            page: pages[0] || 1,
            completed: false,
            submitting: false,
            outbox: [],
          })
          this._render()
        })
      })
    },

    // ------------------------------------------------------------ member: surveys waiting for the signed-in member

    /** Asks which surveys wait for the member; opens the newest, or shows that none waits and asks again later. */
    _pollPending() {
      this._stopPolling()
      const memberToken = this.properties.memberToken
      if (this._key === 'member:' + memberToken && this.data.status === 'loading') return
      this._key = 'member:' + memberToken
      if (this.data.status !== 'none') this.setData({ status: 'loading', message: '', canRetry: false })
      const url = trimBase(this.properties.apiBase) + '/api/public/miniprogram/pending?locale=' + encodeURIComponent(this._requestedLocale())
      outbox.request({ url, method: 'GET', header: { 'X-Member-Token': memberToken } }).then(result => {
        if (!this._attached || memberToken !== this.properties.memberToken || this.properties.token || this.properties.linkId) return
        if (result.ok) {
          const surveys = (result.data && Array.isArray(result.data.surveys)) ? result.data.surveys : []
          this.triggerEvent('pending', { surveys })
          if (surveys.length && surveys[0].token) {
            this._memberSurveyToken = surveys[0].token
            this._maybeStart()
            return
          }
          this.setData({ status: 'none', message: '' })
        } else if (result.status === 401) {
          this._showError('member', 401, this.data.t.signInAgain, false, result.data)
          return
        } else if (!result.retry) {
          this._loadFailed(result)
          return
        }
        this._key = ''
        const seconds = Number(this.properties.pollSeconds)
        if (seconds > 0) this._pollTimer = setTimeout(() => { this._pollTimer = null; this._pollPending() }, seconds * 1000)
      })
    },

    _stopPolling() {
      if (this._pollTimer) clearTimeout(this._pollTimer)
      this._pollTimer = null
    },

    _loadFailed(result) {
      const t = this.data.t
      const problem = result.data && typeof result.data === 'object' ? result.data : {}
      let message = t.loadFailed
      if (result.status === 410) message = t.expired
      else if (result.status === 401) message = t.invalidLink
      else if (result.status === 404) message = t.notFound
      else if (result.status === 429) message = t.tooManyRequests
      else if (result.status >= 400 && result.status < 500 && problem.title) message = problem.title
      this._showError('load', result.status, message, result.retry, problem)
    },

    _showError(kind, status, message, canRetry, problem) {
      this.setData({ status: 'error', message, canRetry: !!canRetry })
      this.triggerEvent('error', { kind, status, title: (problem && problem.title) || message, errors: (problem && problem.errors) || null, responseId: null, willRetry: false })
    },

    onRetry() {
      this._key = ''
      this._maybeStart()
    },

    // ------------------------------------------------------------ rendering

    _themeStyle() {
      const theme = (this.properties.useServerTheme && this._survey && this._survey.theme) || {}
      const parts = []
      const primary = cssColor(this.properties.primaryColor) || cssColor(theme.primaryColor)
      if (primary) parts.push('--survey-primary: ' + primary)
      if (cssColor(theme.backgroundColor)) parts.push('--survey-background: ' + theme.backgroundColor)
      if (cssColor(theme.textColor)) parts.push('--survey-text: ' + theme.textColor)
      if (typeof theme.radius === 'number') parts.push('--survey-radius: ' + theme.radius + 'px')
      if (typeof theme.fontFamily === 'string' && /^[\w\s,"'-]{1,120}$/.test(theme.fontFamily)) parts.push('--survey-font: ' + theme.fontFamily)
      return parts.join('; ')
    },

    _render() {
      const state = this._state
      const survey = this._survey
      const t = i18n.strings(survey.locale)
      const base = { t, lang: i18n.uiLocale(survey.locale), title: survey.title || '', description: survey.description || '', themeStyle: this._themeStyle() }
      if (state.completed) {
        this.setData(Object.assign(base, { status: 'done', questions: [], message: '' }))
        return
      }
      if (state.closed) {
        this.setData(Object.assign(base, { status: 'closed', questions: [], message: this._closedMessage(state.closed, t) }))
        return
      }
      const view = model.page(survey, state.answers, state.page, t, this._errors)
      state.page = view.page
      delete view.pages
      this.setData(Object.assign(base, view, { status: state.submitting ? 'submitting' : 'answering', message: '' }))
    },

    _closedMessage(closed, t) {
      if (closed.status === 410) return t.expired
      if (closed.status === 401) return t.invalidLink
      if (closed.status === 404) return t.notFound
      if (closed.status === 409 && closed.code === 'already-answered') return t.alreadyAnswered
      return closed.title || t.loadFailed
    },

    _persist() {
      try {
        store.save(this._key)
        return true
      } catch (error) {
        this.triggerEvent('error', { kind: 'storage', status: 0, title: String((error && error.errMsg) || error), errors: null, responseId: this._state.responseId, willRetry: false })
        return false
      }
    },

    // ------------------------------------------------------------ answering

    _question(id) {
      return (this._survey.questions || []).find(q => q.id === id)
    },

    _setAnswer(id, value) {
      if (!this._state || this._state.completed || this._state.submitting) return false
      if (model.hasValue(value)) this._state.answers[id] = value
      else delete this._state.answers[id]
      delete this._errors[id]
      this._persist()
      return true
    },

    onScaleChange(e) {
      const id = e.currentTarget.dataset.id
      if (!this._setAnswer(id, e.detail.value)) return
      const question = this._question(id)
      // One tap on an NPS point is an answer worth keeping even if the respondent leaves now.
      if (question && question.type === 'nps') this._queue('save')
      this._render()
    },

    onChoiceChange(e) {
      if (!this._setAnswer(e.currentTarget.dataset.id, e.detail.value)) return
      this._render()
    },

    onTextInput(e) {
      const id = e.currentTarget.dataset.id
      const value = String(e.detail.value || '')
      const before = model.evaluate(this._survey, this._state.answers).visible
      if (!this._setAnswer(id, value)) return
      const after = model.evaluate(this._survey, this._state.answers).visible
      const changed = Object.keys(Object.assign({}, before, after)).some(k => !before[k] !== !after[k])
      const index = this.data.questions.findIndex(q => q.id === id)
      if (changed || index < 0) {
        this._render()
        return
      }
      const q = this.data.questions[index]
      const update = {}
      update['questions[' + index + '].length'] = value.length
      update['questions[' + index + '].counter'] = value.length + '/' + q.maxLength
      update['questions[' + index + '].textValue'] = value
      update['questions[' + index + '].errors'] = []
      this.setData(update)
    },

    /**
     * Records a save (or the completion) in the outbox: the start first if the response was never started, then the
     * answers that changed, under the next save number. One storage write holds all of it; then it is sent.
     */
    _queue(kind) {
      const state = this._state
      if (!state || state.completed || state.closed) return false
      const survey = this._survey
      const base = trimBase(this.properties.apiBase) + '/api/public/responses/' + state.responseId
      const answers = model.diff(survey, state.answers, state.server)
      if (kind === 'save' && !answers) return false
      const items = []
      if (!state.started) {
        items.push({
          id: state.responseId + ':start',
          kind: 'start',
          method: 'PUT',
          url: base,
          body: { source: survey.source, locale: survey.locale, channel: this.properties.channel || 'miniProgram', device: systemDevice() },
        })
        state.started = true
      }
      const sequence = state.nextSequence++
      const body = { sequence }
      if (answers) body.answers = answers
      items.push({ id: state.responseId + ':' + sequence, kind, sequence, method: 'POST', url: base + (kind === 'complete' ? '/complete' : '/saves'), body })
      state.outbox = state.outbox.concat(items)
      if (kind === 'complete') state.submitting = true
      this._persist()
      outbox.flush()
      return true
    },

    // ------------------------------------------------------------ navigation

    _showErrors(errors) {
      this._errors = errors
      const ids = Object.keys(errors)
      const first = (this._survey.questions || []).find(q => ids.indexOf(q.id) >= 0)
      if (first) this._state.page = first.page || 1
      this._render()
      this._scrollTop()
    },

    _scrollTop() {
      if (typeof wx.pageScrollTo === 'function') {
        try { wx.pageScrollTo({ scrollTop: 0, duration: 0 }) } catch (error) { /* not on a page */ }
      }
    },

    onNext() {
      const state = this._state
      if (!state || this.data.status !== 'answering') return
      const errors = model.check(this._survey, state.answers, state.page, this.data.t)
      if (Object.keys(errors).length) {
        this._showErrors(errors)
        return
      }
      this._queue('save')
      const next = model.neighbour(this._survey, state.answers, state.page, 1)
      if (next !== null) state.page = next
      this._persist()
      this._render()
      this._scrollTop()
    },

    onBack() {
      const state = this._state
      if (!state || this.data.status !== 'answering') return
      const previous = model.neighbour(this._survey, state.answers, state.page, -1)
      if (previous === null) return
      state.page = previous
      this._persist()
      this._render()
      this._scrollTop()
    },

    onSubmit() {
      const state = this._state
      if (!state || this.data.status !== 'answering') return
      const errors = model.check(this._survey, state.answers, null, this.data.t)
      if (Object.keys(errors).length) {
        this._showErrors(errors)
        return
      }
      this._errors = {}
      this._queue('complete')
      this._render()
    },

    // ------------------------------------------------------------ what the server said

    _handleOutbox(event) {
      if (!this._attached || event.key !== this._key || !this._state) return
      const state = this._state
      const responseId = state.responseId
      if (event.type === 'waiting') {
        const offlineText = event.network ? this.data.t.offline : this.data.t.retrying
        if (!this.data.offline) this.triggerEvent('error', { kind: 'network', status: event.status, title: offlineText, errors: null, responseId, willRetry: true })
        if (!this.data.offline || this.data.offlineText !== offlineText) this.setData({ offline: true, offlineText })
        return
      }
      if (this.data.offline) this.setData({ offline: false })
      if (event.type === 'sent') {
        if (event.item.kind === 'complete') {
          this._render()
          this.triggerEvent('completed', { responseId })
        }
        return
      }
      // rejected: not retried
      const problem = event.problem && typeof event.problem === 'object' ? event.problem : {}
      const serverErrors = problem.errors && typeof problem.errors === 'object' ? problem.errors : null
      this.triggerEvent('error', { kind: event.item.kind, status: event.status, title: problem.title || '', errors: serverErrors, responseId, willRetry: false })
      if (state.completed || state.closed) {
        this._render()
        return
      }
      const byQuestion = {}
      const other = []
      Object.keys(serverErrors || {}).forEach(id => {
        const messages = [].concat(serverErrors[id] || [])
        if (this._question(id)) byQuestion[id] = messages
        else other.push.apply(other, messages)
      })
      const message = other.length || !Object.keys(byQuestion).length
        ? i18n.format(this.data.t.saveRejected, { title: other.join(' ') || problem.detail || problem.title || event.status })
        : this.data.t.fixAnswers
      if (Object.keys(byQuestion).length) this._showErrors(byQuestion)
      else this._render()
      this.setData({ message })
    },
  },
})
