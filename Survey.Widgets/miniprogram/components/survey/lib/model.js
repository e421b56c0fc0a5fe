'use strict'
/**
 * The survey as a respondent sees it: which questions logic shows, which are required, what a page shows,
 * and which answers a save must carry. Pure functions over the survey view of docs/respondent-api.md and the
 * respondent's answers, so they are easy to test and agree with the server (Survey.Domain/Responses/AnswerValidator).
 */
const logic = require('./logic.js')
const i18n = require('./i18n.js')

const SCALE_TYPES = { nps: [0, 10], csat: [1, 5], ces: [1, 7], rating: [1, 5] }
const MAX_TEXT_LENGTH = 10000

/** Marks a value the server may or may not have (a save carrying it was rejected): the next save sends it again. */
const UNKNOWN = '\u0000unknown'

function kindOf(type) {
  if (SCALE_TYPES[type]) return 'scale'
  if (type === 'singleChoice') return 'single'
  if (type === 'multipleChoice') return 'multiple'
  if (type === 'freeText') return 'text'
  return 'unknown'
}

/** An answer counts when it is not null, not blank text and not an empty list (SurveyJS: empty is unanswered). */
function hasValue(value) {
  if (value === null || value === undefined) return false
  if (typeof value === 'string') return value.trim().length > 0
  if (Array.isArray(value)) return value.length > 0
  return true
}

function sameValue(a, b) {
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => item === b[i])
  return false
}

function scaleOf(question) {
  const fixed = SCALE_TYPES[question.type] || [1, 5]
  const scale = question.scale || {}
  const min = typeof scale.min === 'number' ? scale.min : fixed[0]
  const max = typeof scale.max === 'number' ? scale.max : fixed[1]
  return { min, max, minLabel: scale.minLabel || '', maxLabel: scale.maxLabel || '' }
}

function condition(text, values, fallback) {
  if (!text) return fallback
  const compiled = logic.compile(text)
  if (!compiled) {
    if (typeof console === 'object') console.warn('[survey] logic does not parse: ' + text)
    return fallback
  }
  return compiled.isTrue(values)
}

/**
 * Runs logic in question order over the answers of visible questions only, as the server does: a question that
 * logic hides contributes nothing to later logic. Returns { visible: {id: true}, values: {id: answer} }.
 */
function evaluate(survey, answers) {
  const visible = {}
  const values = {}
  ;(survey.questions || []).forEach(q => {
    if (condition(q.visibleIf, values, true)) {
      visible[q.id] = true
      if (hasValue(answers[q.id])) values[q.id] = answers[q.id]
    }
  })
  return { visible, values }
}

function isRequired(question, values) {
  return !!question.required || condition(question.requiredIf, values, false)
}

/** Pages that show at least one question, in order. */
function visiblePages(survey, visible) {
  const pages = []
  ;(survey.questions || []).forEach(q => {
    const page = q.page || 1
    if (visible[q.id] && pages.indexOf(page) < 0) pages.push(page)
  })
  return pages.sort((a, b) => a - b)
}

/** The visible page to show for a wanted page number: itself, else the next visible one, else the last. */
function pageToShow(pages, wanted) {
  if (!pages.length) return wanted || 1
  for (let i = 0; i < pages.length; i++) if (pages[i] >= wanted) return pages[i]
  return pages[pages.length - 1]
}

/** Problems a respondent must fix before leaving a page (or, with page null, before submitting). {id: [message]} */
function check(survey, answers, page, strings) {
  const t = strings || i18n.STRINGS.en
  const state = evaluate(survey, answers)
  const errors = {}
  ;(survey.questions || []).forEach(q => {
    if (!state.visible[q.id] || (page !== null && (q.page || 1) !== page)) return
    const value = answers[q.id]
    const problems = []
    if (!hasValue(value)) {
      if (isRequired(q, state.values)) problems.push(t.required)
    } else if (q.type === 'multipleChoice') {
      if (q.minChoices && value.length < q.minChoices) problems.push(i18n.format(t.chooseAtLeast, { n: q.minChoices }))
      if (q.maxChoices && value.length > q.maxChoices) problems.push(i18n.format(t.chooseAtMost, { n: q.maxChoices }))
    } else if (q.type === 'freeText' && value.length > (q.maxLength || MAX_TEXT_LENGTH)) {
      problems.push(i18n.format(t.tooLong, { n: q.maxLength || MAX_TEXT_LENGTH }))
    }
    if (problems.length) errors[q.id] = problems
  })
  return errors
}

/**
 * The answers a save must carry so that the server ends up with exactly the visible answers: changed visible
 * answers, and null for answers the server has that are now hidden or cleared. Answers of hidden questions are
 * never sent. Updates `server` (what the server will hold once the save is applied) in place.
 */
function diff(survey, answers, server) {
  const state = evaluate(survey, answers)
  const changes = {}
  let count = 0
  ;(survey.questions || []).forEach(q => {
    const wanted = state.visible[q.id] && hasValue(answers[q.id]) ? answers[q.id] : undefined
    const held = Object.prototype.hasOwnProperty.call(server, q.id) ? server[q.id] : undefined
    if (sameValue(wanted, held)) return
    changes[q.id] = wanted === undefined ? null : wanted
    count++
    if (wanted === undefined) delete server[q.id]
    else server[q.id] = Array.isArray(wanted) ? wanted.slice() : wanted
  })
  return count ? changes : null
}

function display(question, value) {
  if (!hasValue(value)) return ''
  if (question && question.choices) {
    const text = v => {
      const choice = question.choices.find(c => c.value === v)
      return choice ? choice.text : String(v)
    }
    return Array.isArray(value) ? value.map(text).join(', ') : text(value)
  }
  return Array.isArray(value) ? value.join(', ') : String(value)
}

/** Fills answer placeholders ({nps}) from the respondent's own visible answers; unknown ones become empty text. */
function pipe(text, survey, values) {
  if (!text || text.indexOf('{') < 0) return text || ''
  return text.replace(/\{([^{}]*)\}/g, (match, raw) => {
    const name = raw.trim().toLowerCase()
    const question = (survey.questions || []).find(q => q.id.toLowerCase() === name)
    return question ? display(question, values[question.id]) : ''
  })
}

/** What the template shows for one page. */
function page(survey, answers, pageNumber, strings, errors) {
  const t = strings || i18n.STRINGS.en
  const state = evaluate(survey, answers)
  const pages = visiblePages(survey, state.visible)
  const current = pageToShow(pages, pageNumber)
  const index = Math.max(0, pages.indexOf(current))
  const questions = (survey.questions || [])
    .filter(q => state.visible[q.id] && (q.page || 1) === current)
    .map(q => {
      const value = answers[q.id]
      const vm = {
        id: q.id,
        type: q.type,
        kind: kindOf(q.type),
        text: pipe(q.text, survey, state.values),
        description: pipe(q.description || '', survey, state.values),
        required: isRequired(q, state.values),
        errors: (errors && errors[q.id]) || [],
        value: hasValue(value) ? value : null,
      }
      if (vm.kind === 'scale') {
        vm.scale = scaleOf(q)
        vm.hint = i18n.format(t.scaleHint, vm.scale)
      } else if (vm.kind === 'single' || vm.kind === 'multiple') {
        vm.choices = (q.choices || []).map(c => ({ value: c.value, text: pipe(c.text, survey, state.values) }))
        vm.minChoices = q.minChoices || 0
        vm.maxChoices = q.maxChoices || 0
        if (vm.kind === 'multiple') {
          if (vm.minChoices && vm.maxChoices) vm.hint = i18n.format(t.chooseBetween, { min: vm.minChoices, max: vm.maxChoices })
          else if (vm.maxChoices) vm.hint = i18n.format(t.chooseAtMost, { n: vm.maxChoices })
          else if (vm.minChoices) vm.hint = i18n.format(t.chooseAtLeast, { n: vm.minChoices })
        }
      } else if (vm.kind === 'text') {
        vm.maxLength = q.maxLength || MAX_TEXT_LENGTH
        vm.textValue = typeof value === 'string' ? value : ''
        vm.length = vm.textValue.length
        vm.counter = vm.length + '/' + vm.maxLength
      }
      return vm
    })
  return {
    page: current,
    pages,
    questions,
    pageIndex: index + 1,
    pageTotal: pages.length || 1,
    progress: pages.length ? Math.round(((index + 1) / pages.length) * 100) : 100,
    progressText: i18n.format(t.progress, { page: index + 1, count: pages.length || 1 }),
    isFirst: index === 0,
    isLast: index >= pages.length - 1,
  }
}

/** The visible page after (step 1) or before (step -1) a page, or null. */
function neighbour(survey, answers, pageNumber, step) {
  const pages = visiblePages(survey, evaluate(survey, answers).visible)
  const ordered = step > 0 ? pages : pages.slice().reverse()
  for (let i = 0; i < ordered.length; i++) {
    if (step > 0 ? ordered[i] > pageNumber : ordered[i] < pageNumber) return ordered[i]
  }
  return null
}

module.exports = { UNKNOWN, SCALE_TYPES, MAX_TEXT_LENGTH, kindOf, hasValue, evaluate, isRequired, visiblePages, pageToShow, check, diff, pipe, page, neighbour }
