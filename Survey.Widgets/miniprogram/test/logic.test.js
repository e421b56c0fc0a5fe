'use strict'
/**
 * The logic evaluator against the same cases as the server's tests (Survey.Tests/Domain/Logic), whose expected
 * results are what SurveyJS computes: the mini-program must hide and require exactly what the server does.
 */
const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { lib, ROOT } = require('./helpers/env.js')

const logic = lib('logic')
const model = lib('model')
const i18n = lib('i18n')

function run(cases, check) {
  cases.forEach(([expression, answers, expected]) => {
    const compiled = logic.compile(expression)
    assert.ok(compiled, 'parses: ' + expression)
    check(compiled, answers, expected, expression)
  })
}

const isTrue = (compiled, answers, expected, expression) =>
  assert.equal(compiled.isTrue(answers), expected, expression + ' with ' + JSON.stringify(answers))
const evaluates = (compiled, answers, expected, expression) =>
  assert.deepEqual(compiled.evaluate(answers), expected, expression + ' with ' + JSON.stringify(answers))

test('typical survey logic', () => {
  run([
    ['{nps} <= 6', { nps: 5 }, true],
    ['{nps} <= 6', { nps: 7 }, false],
    ['{nps} <= 6', {}, false],
    ["{nps} >= 9 and {visit_type} = 'repair'", { nps: 9, visit_type: 'repair' }, true],
    ["{nps} >= 9 and {visit_type} = 'repair'", { nps: 10, visit_type: ' Repair ' }, true],
    ["{nps} >= 9 and {visit_type} = 'repair'", { nps: 10, visit_type: 'install' }, false],
    ["{nps} >= 9 and {visit_type} = 'repair'", { visit_type: 'repair' }, false],
    ["{issues} anyof ['wait', 'price']", { issues: ['price', 'staff'] }, true],
    ["{issues} anyof ['wait', 'price']", { issues: ['staff'] }, false],
    ["{issues} anyof ['wait', 'price']", {}, false],
    ['{comment} notempty', { comment: 'slow' }, true],
    ['{comment} notempty', { comment: '' }, false],
    ['{comment} notempty', {}, false],
    ['not ({csat} > 3)', { csat: 2 }, true],
    ['not ({csat} > 3)', { csat: 4 }, false],
    ['not ({csat} > 3)', {}, true],
    ["iif({nps} > 8, 'promoter', 'other') = 'promoter'", { nps: 9 }, true],
    ["iif({nps} > 8, 'promoter', 'other') = 'promoter'", { nps: 8 }, false],
    ["{wrong} contains 'wait'", { wrong: ['wait', 'price'] }, true],
    ["{wrong} contains 'wait'", { wrong: ['price'] }, false],
    ["({nps} <= 6 or {csat} < 3) and {wrong} notcontains 'price'", { nps: 3, wrong: ['wait'] }, true],
    ["({nps} <= 6 or {csat} < 3) and {wrong} notcontains 'price'", { nps: 9, csat: 4 }, false],
    ['{nps} <= 6 && !({csat} >= 4)', { nps: 2, csat: 2 }, true],
  ], isTrue)
})

test('a condition is JavaScript loose equality with true', () => {
  run([
    ['1', {}, true], ['2', {}, false], ["'1'", {}, true], ["'yes'", {}, false], ['[1]', {}, true],
    ['null', {}, false], ['{missing}', {}, false], ['1 / 0', {}, false],
  ], isTrue)
})

test('comparison operators and their spellings', () => {
  run([
    ['{q} = 5', true], ['{q} == 5', true], ['{q} equal 5', true], ['{q} equals 5', true],
    ['{q} != 5', false], ['{q} <> 5', false], ['{q} notequal 5', false], ['{q} notequals 5', false],
    ['{q} > 4', true], ['{q} greater 5', false], ['{q} < 6', true], ['{q} less 5', false],
    ['{q} >= 5', true], ['{q} => 5', true], ['{q} greaterorequal 6', false],
    ['{q} <= 5', true], ['{q} =< 4', false], ['{q} lessorequal 5', true], ['{q} LessOrEqual 5', true],
  ].map(([e, r]) => [e, { q: 5 }, r]), evaluates)
})

test('unanswered values', () => {
  run([
    ["{q} = ''", {}, true], ['{q} = null', {}, true], ['{q} = undefined', {}, true], ["{q} = 'undefined'", {}, true],
    ['{q} empty', {}, true], ['{q} empty', { q: null }, true], ["{q} empty", { q: '' }, true], ['{q} empty', { q: [] }, true],
    ['{q} empty', { q: { a: null } }, true], ['{q} empty', { q: 0 }, false], ['{q} empty', { q: false }, false],
    ['{q} != 5', {}, true], ['{q} > 5', {}, false], ['{q} < 5', {}, false], ['{q} >= 5', {}, false],
    ['{q} = 0', {}, false], ['{q} = false', {}, false], ['{q} = []', {}, false], ['{q} = 0', { q: '' }, false],
  ], evaluates)
})

test('comparison coercions', () => {
  run([
    ['{q} = 5', { q: '5' }, true], ['{q} > 10', { q: '9' }, false], ["{q} > '10'", { q: '9' }, false],
    ["'9' > '10'", {}, true], ["'10' > 9", {}, true], ['{q} <= 6', { q: 'abc' }, false], ['{q} > 6', { q: 'abc' }, false],
    ['{q} = 1.5', { q: '1,5' }, true], ["{q} = 'ABC'", { q: 'abc ' }, true], ["{q} < 'b'", { q: 'B' }, true],
    ["{q} > 'b'", { q: 'B' }, false], ["{q} >= 'abc'", { q: 'ABC' }, true], ['{q} = true', { q: 'true' }, true],
    ["{q} = 'TRUE'", { q: true }, true], ['{q} = 1', { q: true }, true], ["{q} = 'yes'", { q: true }, false],
    ['{q} = 7', { q: '007' }, true], ['{q} + 1', { q: '007' }, false],
    ['{a} = {b}', { a: ['x', 'y'], b: ['Y', 'X'] }, true], ['{a} = {b}', { a: ['x', 'y'], b: ['Y', 'x'] }, false],
    ['{a} = {b}', { a: ['x', 'y'], b: ['x'] }, false], ["{a} = 'x'", { a: ['x'] }, false],
    ['{a} = {b}', { a: { k: 1 }, b: { k: '1' } }, true], ['1 < 2 < 3', {}, true], ['3 > 2 > 1', {}, false],
  ], isTrue)
})

test('and, or, not and negation', () => {
  run([
    ['true and false', {}, false], ['true && true', {}, true], ['false or true', {}, true], ['false || false', {}, false],
    ['TRUE AND True', {}, true], ['false Or true', {}, true], ['!true', {}, false], ['! false', {}, true],
    ['negate true', {}, false], ['NOT false', {}, true], ['not(false)', {}, true], ['!!{q}', {}, false],
    ['!{q}', {}, true], ['!0', {}, true], ["!''", {}, true], ['![]', {}, false],
    ["{a} and {b}", { a: 'x', b: 'y' }, 'y'], ['{a} and {b}', { b: 'y' }, ''], ['{a} and {b}', {}, 0],
    ["{a} or 'fallback'", {}, 'fallback'], ["{a} or 'fallback'", { a: 'x' }, 'x'], ['1 and 2', {}, 2],
  ], evaluates)
})

test('arithmetic and precedence', () => {
  run([
    ['1 + 2 * 3', 7], ['(1 + 2) * 3', 9], ['2 * 3 ^ 2', 18], ['2 ^ 3 ^ 2', 64], ['2 power 3', 8], ['10 - 2 - 3', 5],
    ['12 / 2 / 3', 2], ['7 % 4', 3], ['-7 % 4', -3], ['2 * -3', -6], ['5 -1', 4], ['5--1', 6], ['-1.5 + 1', -0.5],
    ['0x10 + 1', 17], ['0.1 + 0.2', 0.3], ['0.3 - 0.1', 0.2], ['0.1 * 3', 0.3], ['1 / 3 * 3', 1], ['1 / 4', 0.25],
    ['1 / 0', null], ['5 % 0', null], ["'x' - 1", null], ['true + 1', 2], ["'a' + 'b'", 'ab'], ["'a' + 1.5", 'a1.5'],
    ["'1' + 2", '12'], ['1 + 1 = 2', true], ['true or false and false', true], ['false and true or true', true],
    ['1 < 2 = true', true],
  ].map(([e, r]) => [e, {}, r]), evaluates)
  run([
    ['{a} + {b}', { a: '1', b: '2' }, 3], ['{a} + 1', {}, 1], ["{a} + 'x'", {}, 'x'], ['{a} * 2', { a: '1,5' }, 3],
    ['{a} - {b}', {}, 0], ["{a} + 'x'", { a: ['p', 'q'] }, 'p, qx'], ['{a} + 3', { a: [1, 2, 'z'] }, 6],
    ['{#a} + 1', { a: '1' }, '11'], ['!{a} = 1', { a: 2 }, false], ['{a} + 1 anyof [2]', { a: 1 }, 1],
  ], evaluates)
})

test('arrays and text: contains, notcontains, anyof, allof, noneof', () => {
  run([
    ["{a} contains 'x'", { a: ['x', 'y'] }, true], ["{a} contains 'x'", { a: ['X'] }, true], ["{a} contains 'x'", { a: ['xy'] }, false],
    ["{a} contains 'x'", { a: 'XYZ' }, true], ["{a} contains 'q'", { a: 'xyz' }, false], ["{a} contains 'x'", {}, false],
    ["{a} contain 'x'", { a: ['x'] }, true], ["{a} *= 'x'", { a: ['x'] }, true],
    ["{a} contains ['x', 'y']", { a: ['y', 'z', 'x'] }, true], ["{a} contains ['x', 'y']", { a: ['x'] }, false],
    ['{a} contains 2', { a: 123 }, true], ['{a} contains 1', { a: ['1'] }, true],
    ["{a} notcontains 'x'", { a: ['x'] }, false], ["{a} notcontains 'x'", { a: ['y'] }, true],
    ["{a} notcontain 'x'", { a: 'abc' }, true], ["{a} notcontains 'x'", {}, true],
    ["{a} anyof ['x']", { a: 'x' }, true], ['{a} anyof [1, 2]', { a: [2, 3] }, true], ["{a} anyof ['1']", { a: [1] }, true],
    ['{a} anyof []', {}, true], ["{a} allof ['x', 'y']", { a: ['y', 'x', 'z'] }, true], ["{a} allof ['x', 'y']", { a: ['x'] }, false],
    ["{a} allof ['x', 'y']", {}, false], ["{a} noneof ['x', 'y']", { a: ['z'] }, true], ["{a} noneof ['x', 'y']", { a: ['z', 'y'] }, false],
    ["{a} noneof ['x', 'y']", {}, true], ["{a} ANYOF ['x']", { a: ['x'] }, true], ['{a} notempty', { a: ['x'] }, true],
    ["{a} contains 'x' and {b} empty", { a: ['x'] }, true],
  ], evaluates)
})

test('functions', () => {
  run([
    ["iif(true, 'a', 'b')", {}, 'a'], ["iif(0, 'a', 'b')", {}, 'b'], ["iif({q} notempty, {q}, 'none')", { q: 'x' }, 'x'],
    ["iif(false, 'a')", {}, null], ['sum(1, 2, 3)', {}, 6], ['sum({a})', { a: [1, '2', null, 3] }, 6], ['sum({a}, {b})', {}, 0],
    ['sum(0.1, 0.2)', {}, 0.3], ['max(1, 5, 3)', {}, 5], ['min([4, 2], 3)', {}, 2], ['max({a})', {}, null],
    ['avg(1, 2, 3, 4)', {}, 2.5], ['avg({a})', {}, 0], ['count([1, null, 2], 3)', {}, 3], ['count({a})', { a: ['x', 'y'] }, 2],
    ['round(2.5)', {}, 3], ['round(-0.5)', {}, -1], ['round(1.005, 2)', {}, 1.01], ['round(2.175, 2)', {}, 2.18],
    ['round(-2.175, 2)', {}, -2.18], ["round('x')", {}, null], ['trunc(1.99)', {}, 1], ['trunc(-1.99)', {}, -1],
    ['trunc(1.999, 2)', {}, 1.99], ["substring('hello', 1, 3)", {}, 'el'], ["substring('hello', 3)", {}, 'lo'],
    ["substring('hello', 3, 1)", {}, 'el'], ['substring({a}, 1)', {}, ''],
  ], evaluates)
})

test('variables resolve like SurveyJS: any case, paths, lengths, {#raw}', () => {
  run([
    ['{NPS} = 5', { nps: 5 }], ["{customer.name} = 'Ann'", { 'customer.name': 'Ann' }], ["{customer.name} = 'Ann'", { customer: { name: 'Ann' } }],
    ["{Customer.Name} = 'Ann'", { customer: { name: 'Ann' } }], ["{order.items[1].sku} = 'b'", { order: { items: [{ sku: 'a' }, { sku: 'b' }] } }],
    ["{q[1]} = 'b'", { q: ['a', 'b'] }], ['{q[5]} empty', { q: ['a', 'b'] }], ['{q.length} = 2', { q: ['a', 'b'] }],
    ['{q.length} = 3', { q: 'abc' }], ['{q.length} = 0', {}], ['{q-1} = 1 and {q_2} = 2 and {3q} = 3', { 'q-1': 1, q_2: 2, '3q': 3 }],
    ['{ spaced } = 1', { spaced: 1 }], ["{q} = 'x'", { q: "'x'" }], ["{#q} = 'true' and {q} = true", { q: 'true' }],
    ["{q} = yes and {r} = true", { q: 'Yes', r: 'TRUE' }],
  ].map(([e, a]) => [e, a, true]), isTrue)
})

test('text that does not parse is reported, never thrown at the respondent', () => {
  ;['', '{nps} <=', '({nps} > 1', "{a} = 'open", '{nps} | 3', 'unknownFn(1)', '{}', '{nps} > 1)'].forEach(text => {
    assert.equal(logic.compile(text), null, JSON.stringify(text))
    assert.throws(() => logic.parse(text), SyntaxError, JSON.stringify(text))
  })
  assert.equal(logic.isTrue('{nps} <=', { nps: 1 }, true), true, 'the fallback decides')
})

test('visibility runs in question order over visible answers only, as the server does', () => {
  const survey = {
    questions: [
      { id: 'nps', type: 'nps', page: 1 },
      { id: 'why', type: 'freeText', page: 1, visibleIf: '{nps} <= 6' },
      { id: 'more', type: 'freeText', page: 2, visibleIf: '{why} notempty' },
      { id: 'last', type: 'freeText', page: 3, requiredIf: "{why} contains 'slow'" },
    ],
  }
  const hidden = model.evaluate(survey, { nps: 9, why: 'slow' })
  assert.deepEqual(Object.keys(hidden.visible), ['nps', 'last'], "a hidden answer does not feed later logic")
  assert.equal(model.isRequired(survey.questions[3], hidden.values), false)
  const shown = model.evaluate(survey, { nps: 3, why: 'slow' })
  assert.deepEqual(Object.keys(shown.visible), ['nps', 'why', 'more', 'last'])
  assert.equal(model.isRequired(survey.questions[3], shown.values), true)
  assert.deepEqual(model.visiblePages(survey, hidden.visible), [1, 3])

  const server = {}
  assert.deepEqual(model.diff(survey, { nps: 3, why: 'slow' }, server), { nps: 3, why: 'slow' })
  assert.equal(model.diff(survey, { nps: 3, why: 'slow' }, server), null, 'nothing new')
  assert.deepEqual(model.diff(survey, { nps: 9, why: 'slow' }, server), { nps: 9, why: null }, 'a now-hidden answer is cleared')
  assert.deepEqual(model.diff(survey, { nps: 9, why: 'slow', last: '  ' }, server), null, 'blank text is no answer')
})

test('UI language: zh* is Chinese, anything else English', () => {
  assert.equal(i18n.uiLocale('zh_CN'), 'zh-CN')
  assert.equal(i18n.uiLocale('zh_TW'), 'zh-CN')
  assert.equal(i18n.uiLocale('zh-Hans'), 'zh-CN')
  assert.equal(i18n.uiLocale('en'), 'en')
  assert.equal(i18n.uiLocale('en_US'), 'en')
  assert.equal(i18n.uiLocale('fr'), 'en')
  assert.equal(i18n.uiLocale(''), 'en')
  assert.deepEqual(Object.keys(i18n.STRINGS['zh-CN']).sort(), Object.keys(i18n.STRINGS.en).sort(), 'both languages have every string')
  assert.equal(i18n.format(i18n.STRINGS.en.progress, { page: 2, count: 3 }), 'Page 2 of 3')
  assert.equal(i18n.format(i18n.STRINGS['zh-CN'].progress, { page: 2, count: 3 }), '第 2 / 3 页')
})

// The table the server's evaluator and the web widget's evaluator both pass (Survey.Tests/Domain/Logic/SharedCasesTests.cs).
const SHARED = path.join(ROOT, '..', '..', 'Survey.Tests', 'Fixtures', 'logic', 'shared-cases.json')

test('agrees with the server on every case of the shared logic table', { skip: !fs.existsSync(SHARED) && 'no shared table next to this folder' }, () => {
  const cases = JSON.parse(fs.readFileSync(SHARED, 'utf8'))
  assert.ok(cases.length >= 150, cases.length + ' cases')
  const publicValue = v => (Array.isArray(v) ? v.map(publicValue) : typeof v === 'number' && !Number.isFinite(v) ? null : v)
  const wrong = []
  cases.forEach(c => {
    const compiled = logic.compile(c.expression)
    if (c.error) {
      if (compiled) wrong.push(c.expression + ' should not parse')
      return
    }
    if (!compiled) { wrong.push(c.expression + ' should parse'); return }
    let actual = publicValue(compiled.evaluate(c.values))
    if (actual === 0) actual = 0 // -0
    try { assert.deepEqual(actual, c.expected) } catch (error) { wrong.push(c.expression + ' with ' + JSON.stringify(c.values) + ': ' + JSON.stringify(actual) + ' instead of ' + JSON.stringify(c.expected)) }
    if (compiled.isTrue(c.values) !== (c.expected == true)) wrong.push('isTrue of ' + c.expression) // eslint-disable-line eqeqeq
  })
  assert.deepEqual(wrong, [])
})
