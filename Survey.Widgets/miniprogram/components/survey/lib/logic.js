'use strict'
/**
 * Show-if / required-if logic in the SurveyJS expression syntax ("{nps} <= 6", "{wrong} contains 'wait'").
 *
 * This file mirrors the server's evaluator, Survey.Domain/Questionnaires/Logic (Tokenizer, Parser, Syntax,
 * Operations, JsValue, SurveyConversions, VariableScope, Functions), which itself follows survey-core's
 * expressions.ts, helpers.ts and functionsfactory.ts. The server enforces the same logic, so the two must agree:
 * change them together. It is plain ES2015 CommonJS so that a WeChat mini-program can require it as it is.
 *
 * Covered: numbers (1, 1.5, -2, 0x10), strings ('a', "b"), bare words (true/false/null/undefined, other words are
 * text), arrays [..], {variables} (case-insensitive, a.b / q[0] / q.length paths, {#q} keeps text as text),
 * = == equal equals != <> notequal notequals < > <= =< >= => less greater lessorequal greaterorequal,
 * and && or || ! not negate, + - * / % ^ power, contains contain *= notcontains notcontain anyof allof noneof,
 * postfix empty / notempty, parentheses, and the functions iif sum min max avg count round trunc substring.
 *
 * parse(text) throws a SyntaxError for text that does not parse; compile(text) returns null instead.
 */

const SYMBOLS = ['||', '&&', '==', '!=', '<>', '<=', '>=', '=>', '=<', '*=', '=', '<', '>', '+', '-', '*', '/', '%', '^', '!']

const SYMBOL_OPERATORS = {
  '||': 'or', '&&': 'and', '=': 'equal', '==': 'equal', '!=': 'notequal', '<>': 'notequal',
  '<': 'less', '>': 'greater', '<=': 'lessorequal', '=<': 'lessorequal', '>=': 'greaterorequal', '=>': 'greaterorequal',
  '+': 'plus', '-': 'minus', '*': 'multiply', '/': 'divide', '%': 'modulo', '^': 'power', '*=': 'contains',
}

// Word operators are case-insensitive; "equals"/"notequals" come from SurveyJS's patchExpression.
const WORD_OPERATORS = {
  or: 'or', and: 'and', equal: 'equal', equals: 'equal', notequal: 'notequal', notequals: 'notequal',
  less: 'less', greater: 'greater', lessorequal: 'lessorequal', greaterorequal: 'greaterorequal', power: 'power',
  contains: 'contains', contain: 'contains', notcontains: 'notcontains', notcontain: 'notcontains',
  anyof: 'anyof', allof: 'allof', noneof: 'noneof',
}

// Lowest to highest; all left-associative. The binary functions bind tightest (SurveyJS's grammar).
const PRECEDENCE = {
  or: 1, and: 2,
  equal: 3, notequal: 3, less: 3, greater: 3, lessorequal: 3, greaterorequal: 3,
  plus: 4, minus: 4, multiply: 5, divide: 5, modulo: 5, power: 6,
  contains: 7, notcontains: 7, anyof: 7, allof: 7, noneof: 7,
}

const isDigit = c => c >= '0' && c <= '9'
const isWordStart = c => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_'
const isWordPart = c => isWordStart(c) || isDigit(c)
const isSpace = c => c === ' ' || c === '\t' || c === '\n' || c === '\r'

function fail(message, position) {
  const error = new SyntaxError(message + ' (at ' + position + ')')
  error.position = position
  throw error
}

// ---------------------------------------------------------------- tokens

function tokenize(text) {
  const tokens = []
  let i = 0
  const push = (kind, start, end, value) => tokens.push({ kind, pos: start, end, text: text.slice(start, end), value })
  while (i < text.length) {
    const c = text[i]
    if (isSpace(c)) { i++; continue }
    if ('()[],'.indexOf(c) >= 0) { push(c, i, i + 1); i++; continue }
    if (c === '\'' || c === '"') {
      let value = ''
      let j = i + 1
      while (j < text.length && text[j] !== c) {
        // Like SurveyJS, only \' and \" are escapes.
        if (text[j] === '\\' && j + 1 < text.length && (text[j + 1] === '\'' || text[j + 1] === '"')) { value += text[j + 1]; j += 2 } else value += text[j++]
      }
      if (j >= text.length) fail('The string starting with ' + c + ' is never closed.', i)
      push('string', i, j + 1, value)
      i = j + 1
      continue
    }
    if (c === '{') {
      let j = i + 1
      while (j < text.length && text[j] !== '}' && text[j] !== '{') j++
      if (j >= text.length || text[j] !== '}') fail('\'{\' is never closed by \'}\'.', i)
      const inner = text.slice(i + 1, j).trim()
      const keepRaw = inner.length > 1 && inner[0] === '#'
      const name = keepRaw ? inner.slice(1).trim() : inner
      if (!name) fail('\'{}\' does not name a question.', i)
      push('variable', i, j + 1, { name, keepRaw })
      i = j + 1
      continue
    }
    if (isDigit(c)) {
      let j = i
      let value
      if (c === '0' && text[i + 1] === 'x' && isDigit(text[i + 2] || '')) {
        // SurveyJS reads "0x" followed by decimal digits as hexadecimal ("0x10" is 16).
        value = 0
        for (j = i + 2; j < text.length && isDigit(text[j]); j++) value = value * 16 + (text.charCodeAt(j) - 48)
      } else {
        while (j < text.length && isDigit(text[j])) j++
        if (text[j] === '.' && isDigit(text[j + 1] || '')) for (j++; j < text.length && isDigit(text[j]); j++);
        value = parseFloat(text.slice(i, j))
      }
      push('number', i, j, value)
      i = j
      continue
    }
    if (isWordStart(c)) {
      let j = i + 1
      while (j < text.length && isWordPart(text[j])) j++
      push('word', i, j)
      i = j
      continue
    }
    const symbol = SYMBOLS.find(s => text.startsWith(s, i))
    if (symbol) { push('operator', i, i + symbol.length); i += symbol.length; continue }
    if (c === '|' || c === '&') fail('Unexpected character \'' + c + '\'. Use \'' + c + c + '\'.', i)
    fail('Unexpected character \'' + c + '\'.', i)
  }
  tokens.push({ kind: 'end', pos: text.length, end: text.length, text: '' })
  return tokens
}

function binaryOf(token) {
  if (token.kind === 'operator') return SYMBOL_OPERATORS[token.text] || null
  if (token.kind === 'word') return WORD_OPERATORS[token.text.toLowerCase()] || null
  return null
}

function postfixOf(token) {
  if (token.kind !== 'word') return null
  const word = token.text.toLowerCase()
  return word === 'empty' || word === 'notempty' ? word : null
}

const isOperatorWord = token => binaryOf(token) !== null || postfixOf(token) !== null

// "!" and "negate" are SurveyJS's negation; "not" is the server's extension.
function isPrefixNot(token, followedByCall) {
  if (token.kind === 'operator') return token.text === '!'
  if (token.kind !== 'word') return false
  const word = token.text.toLowerCase()
  return word === 'not' || (word === 'negate' && !followedByCall)
}

// ---------------------------------------------------------------- parser

function parse(text) {
  const tokens = tokenize(String(text == null ? '' : text))
  if (tokens.length === 1) fail('The expression is empty.', 0)
  let index = 0
  let depth = 0
  const current = () => tokens[index]
  const next = () => tokens[Math.min(index + 1, tokens.length - 1)]
  const advance = () => { const t = tokens[index]; if (index < tokens.length - 1) index++; return t }

  function expression(stops) {
    const node = binary(1, operand(null))
    const t = current()
    if (t.kind !== 'end' && stops.indexOf(t.kind) < 0) fail('Unexpected \'' + t.text + '\'.', t.pos)
    return node
  }

  function binary(minPrecedence, left) {
    for (;;) {
      const op = binaryOf(current())
      if (!op || PRECEDENCE[op] < minPrecedence) return left
      const opToken = advance()
      let right = operand(opToken)
      for (;;) {
        const following = binaryOf(current())
        if (!following || PRECEDENCE[following] <= PRECEDENCE[op]) break
        right = binary(PRECEDENCE[op] + 1, right)
      }
      left = { t: 'binary', op, left, right }
    }
  }

  function nested(parseIt) {
    if (++depth > 64) fail('The expression nests too deep.', current().pos)
    try { return parseIt() } finally { depth-- }
  }

  function isNegativeNumber() {
    const t = current()
    const n = next()
    return t.kind === 'operator' && t.text === '-' && n.kind === 'number' && n.pos === t.end && n.text.indexOf('0x') !== 0
  }

  function postfix(atom) {
    const op = postfixOf(current())
    if (!op) return atom
    advance()
    return { t: 'unary', op, operand: atom }
  }

  function list(closer) {
    const items = []
    if (current().kind === closer) { advance(); return items }
    for (;;) {
      items.push(expression([',', closer]))
      if (current().kind !== ',') break
      advance()
    }
    if (current().kind !== closer) fail('\'' + (closer === ')' ? '(' : '[') + '\' is never closed.', current().pos)
    advance()
    return items
  }

  function operand(after) {
    const t = current()
    const isCall = t.kind === 'word' && next().kind === '(' && next().pos === t.end
    if (isPrefixNot(t, isCall)) return nested(() => { advance(); return { t: 'unary', op: 'not', operand: operand(t) } })
    switch (t.kind) {
      case 'number':
      case 'string':
        advance()
        return postfix({ t: 'const', v: t.value })
      case 'variable':
        advance()
        return postfix({ t: 'var', name: t.value.name, keepRaw: t.value.keepRaw })
      case '(':
        return nested(() => {
          advance()
          const inner = expression([')'])
          if (current().kind !== ')') fail('\'(\' is never closed.', t.pos)
          advance()
          return inner
        })
      case '[':
        return nested(() => { advance(); return { t: 'array', items: list(']') } })
      case 'operator':
        if (isNegativeNumber()) { advance(); return postfix({ t: 'const', v: -advance().value }) }
        break
      case 'word':
        if (isCall) {
          return nested(() => {
            const name = advance().text
            advance()
            const fn = FUNCTIONS[name]
            if (!fn) fail('Unknown function \'' + name + '\'.', t.pos)
            const args = list(')')
            if (args.length < fn.min || args.length > fn.max) fail('\'' + name + '\' takes ' + fn.min + (fn.max === fn.min ? '' : ' or more') + ' arguments.', t.pos)
            return { t: 'call', fn: fn.invoke, args }
          })
        }
        if (!isOperatorWord(t)) { advance(); return postfix({ t: 'const', v: wordValue(t.text) }) }
        break
      default:
        break
    }
    if (after) fail('\'' + after.text + '\' is missing its operand.', after.pos)
    return fail(t.kind === 'end' ? 'The expression ends too early.' : 'Unexpected \'' + t.text + '\'.', t.pos)
  }

  return expression([])
}

// true/false in any case; null/undefined in lower case; any other bare word is text ("{q} = yes").
function wordValue(word) {
  const lower = word.toLowerCase()
  if (lower === 'true') return true
  if (lower === 'false') return false
  if (word === 'null' || word === 'undefined') return null
  return word
}

// ---------------------------------------------------------------- JavaScript values (JsValue.cs)

const isArray = Array.isArray
const isObject = v => v !== null && typeof v === 'object' && !isArray(v)

function toBoolean(v) {
  if (v == null) return false
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v)
  if (typeof v === 'string') return v.length > 0
  return v === true || (v !== false && typeof v === 'object')
}

function isEmpty(v) {
  if (v == null) return true
  if (typeof v === 'string') return v.length === 0
  if (typeof v === 'number') return Number.isNaN(v)
  if (isArray(v)) return v.length === 0
  if (isObject(v)) return Object.keys(v).every(k => isEmpty(v[k]))
  return false
}

function toPrimitive(v) {
  if (isArray(v)) return v.map(item => (item == null ? '' : toJsString(item))).join(',')
  if (isObject(v)) return '[object Object]'
  return v == null ? null : v
}

function toJsString(v) {
  if (v == null) return 'null'
  if (isArray(v) || isObject(v)) return toPrimitive(v)
  return String(v)
}

function toNumber(v) {
  return Number(toPrimitive(v))
}

function plus(a, b) {
  const left = toPrimitive(a)
  const right = toPrimitive(b)
  if (typeof left === 'string' || typeof right === 'string') return toJsString(left) + toJsString(right)
  return toNumber(left) + toNumber(right)
}

function lessThan(a, b) {
  const left = toPrimitive(a)
  const right = toPrimitive(b)
  if (typeof left === 'string' && typeof right === 'string') return left < right
  return toNumber(left) < toNumber(right)
}

function looseEqualsTrue(v) {
  if (v == null) return false
  if (typeof v === 'boolean') return v
  return toNumber(v) === 1
}

function looseEquals(x, y) {
  if (x == null || y == null) return x == null && y == null
  if (typeof x === 'boolean') return looseEquals(x ? 1 : 0, y)
  if (typeof y === 'boolean') return looseEquals(x, y ? 1 : 0)
  if (typeof x === 'number' && typeof y === 'number') return x === y
  if (typeof x === 'number') return x === Number(y)
  if (typeof y === 'number') return Number(x) === y
  return x === y
}

// Helpers.checkIfValuesEqual with SurveyJS's default comparator: case-insensitive, trimmed text, arrays in any order.
function valuesEqual(x, y) {
  if (x === y && !(typeof x === 'number' && Number.isNaN(x))) return true
  if ((x == null && y === '') || (y == null && x === '')) return true
  if (typeof x === 'string' && typeof y === 'string') return x.trim().toLowerCase() === y.trim().toLowerCase()
  if (isEmpty(x) !== isEmpty(y)) return false
  if (typeof x === 'boolean' && typeof y === 'string') return (x ? 'true' : 'false') === y.toLowerCase()
  if (typeof y === 'boolean' && typeof x === 'string') return (y ? 'true' : 'false') === x.toLowerCase()
  const xObject = x !== null && typeof x === 'object'
  const yObject = y !== null && typeof y === 'object'
  if (!xObject && !yObject) return looseEquals(x, y)
  if (isArray(x) && isArray(y)) {
    if (x.length !== y.length) return false
    const byText = (a, b) => (toJsString(a) < toJsString(b) ? -1 : toJsString(a) > toJsString(b) ? 1 : 0)
    const a = x.slice().sort(byText)
    const b = y.slice().sort(byText)
    return a.every((item, i) => valuesEqual(item, b[i]))
  }
  if (isObject(x) && isObject(y)) {
    const keys = Object.keys(x)
    return keys.length === Object.keys(y).length && keys.every(k => Object.prototype.hasOwnProperty.call(y, k) && valuesEqual(x[k], y[k]))
  }
  return false
}

// ---------------------------------------------------------------- SurveyJS conversions (SurveyConversions.cs)

function parseHexPrefix(s) {
  let value = 0
  let count = 0
  for (let i = 2; i < s.length; i++) {
    const d = parseInt(s[i], 16)
    if (Number.isNaN(d)) break
    value = value * 16 + d
    count++
  }
  return count === 0 ? NaN : value
}

function hasOperator(s) {
  if (s.lastIndexOf('-') > 0 || s.lastIndexOf('+') > 0) return false
  return /[*^/%]/.test(s)
}

// Helpers.getNumber: numbers and text that is a plain number (" 12 ", "1,5", "0x1A"); not "", long digit runs, "2*3".
function getNumber(value) {
  if (typeof value === 'string') {
    const s = value.trim()
    if (!s) return NaN
    if (s.indexOf('0x') === 0) return s.length > 32 ? NaN : parseHexPrefix(s)
    if (s.length > 15 && /^[0-9]+$/.test(s)) return NaN
    if (hasOperator(s)) return NaN
    const comma = s.indexOf(',')
    value = comma > -1 && s.indexOf(',', comma + 1) < 0 ? s.replace(',', '.') : s
  }
  const result = parseFloat(toJsString(value))
  return Number.isNaN(result) || !Number.isFinite(toNumber(value)) ? NaN : result
}

const isNumber = value => !Number.isNaN(getNumber(value))

// Const.getCorrectValue: text answers read through {name} become booleans or numbers when they look like them.
function correctValue(value) {
  if (typeof value !== 'string' || !value) return value
  const lower = value.toLowerCase()
  if (lower === 'true' || lower === 'false') return lower === 'true'
  if (value.length > 1 && '\'"'.indexOf(value[0]) >= 0 && '\'"'.indexOf(value[value.length - 1]) >= 0) return value.slice(1, -1)
  if (!isNumber(value)) return value
  if (value[0] === '0' && value.indexOf('0x') !== 0 && value.length > 1 && value[1] !== '.' && value[1] !== ',') return value
  return getNumber(value)
}

// ---------------------------------------------------------------- operators (Operations.cs)

function surveyEquals(x, y) {
  return valuesEqual(x === 'undefined' ? null : x, y === 'undefined' ? null : y)
}

function countDecimals(value) {
  if (!isNumber(value) || (typeof value === 'number' && Math.floor(value) === value)) return 0
  const parts = toJsString(value).split('.')
  return parts.length > 1 ? parts[1].length : 0
}

// parseFloat(result.toFixed(digits)), rounded half away from zero on the shortest decimal form, as the server does.
function fixDecimals(result, digits) {
  if (digits <= 0 || typeof result !== 'number' || !Number.isFinite(result)) return result
  const text = String(Math.abs(result))
  if (text.indexOf('e') >= 0) return parseFloat(result.toFixed(Math.min(digits, 20)))
  const dot = text.indexOf('.')
  if (dot < 0 || text.length - dot - 1 <= digits) return result
  const kept = text.slice(0, dot) + text.slice(dot + 1, dot + 1 + digits)
  let rounded = kept
  if (text[dot + 1 + digits] >= '5') {
    const chars = kept.split('')
    let i = chars.length - 1
    for (; i >= 0; i--) {
      if (chars[i] === '9') chars[i] = '0'
      else { chars[i] = String(+chars[i] + 1); break }
    }
    rounded = (i < 0 ? '1' : '') + chars.join('')
  }
  const intLength = rounded.length - digits
  const value = parseFloat(rounded.slice(0, intLength) + '.' + rounded.slice(intLength))
  return result < 0 ? -value : value
}

function correctAfterPlusMinus(a, b, result) {
  return fixDecimals(result, Math.max(countDecimals(a), countDecimals(b)))
}

function emptyToNeutral(value, other) {
  if (!isEmpty(value)) return value
  if (typeof other === 'number') return 0
  if (typeof value === 'string') return value
  if (typeof other === 'string') return ''
  if (isArray(other)) return []
  return 0
}

function sumAnyValues(a, b) {
  if (!isNumber(a) || !isNumber(b)) {
    if (isArray(a) && isArray(b)) return a.concat(b)
    if (isArray(a) || isArray(b)) {
      const arrayFirst = isArray(a)
      const items = arrayFirst ? a : b
      const other = arrayFirst ? b : a
      const joined = items.map(item => (item == null ? '' : toJsString(item))).join(', ')
      if (typeof other === 'string') return arrayFirst ? joined + other : other + joined
      if (typeof other === 'number') {
        let sum = 0
        items.filter(item => typeof item === 'number').forEach(item => { sum = correctAfterPlusMinus(sum, item, plus(sum, item)) })
        return correctAfterPlusMinus(sum, other, plus(sum, other))
      }
    }
    return plus(a, b)
  }
  return typeof a === 'string' || typeof b === 'string' ? plus(a, b) : correctAfterPlusMinus(a, b, plus(a, b))
}

function power(x, y) {
  return Math.pow(x, y)
}

function arithmetic(op, a, b) {
  const left = emptyToNeutral(a, b)
  const right = emptyToNeutral(b, left)
  switch (op) {
    case 'or': return toBoolean(left) ? left : right
    case 'and': return toBoolean(left) ? right : left
    case 'plus': return sumAnyValues(left, right)
    case 'minus': return correctAfterPlusMinus(left, right, toNumber(left) - toNumber(right))
    case 'multiply': return fixDecimals(toNumber(left) * toNumber(right), countDecimals(left) + countDecimals(right))
    case 'divide': return toBoolean(right) ? toNumber(left) / toNumber(right) : null
    case 'modulo': return toBoolean(right) ? toNumber(left) % toNumber(right) : null
    case 'power': return power(toNumber(left), toNumber(right))
    default: return null
  }
}

function containsCore(left, right, isContains) {
  if (left == null || left === '' || (typeof left === 'number' && Number.isNaN(left))) return false
  if (!(isArray(left) && left.length > 0) && typeof left !== 'string') left = toJsString(left)
  if (typeof left === 'string') {
    if (!toBoolean(right)) return false
    const found = left.toLowerCase().indexOf(toJsString(right).toLowerCase()) >= 0
    return isContains ? found : !found
  }
  const wanted = isArray(right) ? right : [right]
  for (let i = 0; i < wanted.length; i++) {
    if (!left.some(item => surveyEquals(item, wanted[i]))) return !isContains
  }
  return isContains
}

function anyOf(left, right) {
  if (isEmpty(left) && isEmpty(right)) return true
  if (isEmpty(left)) return false
  if (isEmpty(right)) return true
  if (!isArray(left)) return containsCore(right, left, true)
  if (!isArray(right)) return containsCore(left, right, true)
  return right.some(item => containsCore(left, item, true))
}

function allOf(left, right) {
  if (!toBoolean(left) && !isEmpty(right)) return false
  if (!isArray(right)) return containsCore(left, right, true)
  return right.every(item => containsCore(left, item, true))
}

function binaryOperation(op, left, right) {
  switch (op) {
    case 'equal': return surveyEquals(left, right)
    case 'notequal': return !surveyEquals(left, right)
    // Comparing with an unanswered (null) value is false: "{nps} <= 6" is false until nps is answered.
    case 'less': return left != null && right != null && lessThan(left, right)
    case 'greater': return left != null && right != null && lessThan(right, left)
    case 'lessorequal': return surveyEquals(left, right) || (left != null && right != null && lessThan(left, right))
    case 'greaterorequal': return surveyEquals(left, right) || (left != null && right != null && lessThan(right, left))
    case 'contains': return containsCore(left, right, true)
    case 'notcontains': return (!toBoolean(left) && !isEmpty(right)) || containsCore(left, right, false)
    case 'anyof': return anyOf(left, right)
    case 'noneof': return !anyOf(left, right)
    case 'allof': return allOf(left, right)
    default: return arithmetic(op, left, right)
  }
}

// ---------------------------------------------------------------- functions (Functions.cs)

const EPSILON = 2.220446049250313e-16

function flatten(args) {
  const values = []
  const add = value => {
    if (value == null) return
    if (isArray(value)) value.forEach(add)
    else values.push(isNumber(value) ? getNumber(value) : value)
  }
  add(args)
  return values
}

function sum(args) {
  let total = 0
  flatten(args).forEach(value => { total = correctAfterPlusMinus(total, value, plus(total, value)) })
  return total
}

function extreme(args, pickLower) {
  const values = flatten(args)
  if (!values.length) return null
  let result = values[0]
  values.forEach(value => { if (pickLower ? lessThan(value, result) : lessThan(result, value)) result = value })
  return result
}

function round(args) {
  const values = flatten(args)
  if (!values.length) return NaN
  const precision = values.length > 1 && toBoolean(values[1]) ? values[1] : 0
  if (!isNumber(values[0]) || !isNumber(precision)) return NaN
  const scale = Math.pow(10, toNumber(precision))
  const scaled = toNumber(values[0]) * scale * (1 + EPSILON)
  let rounded = Math.floor(scaled)
  if (scaled - rounded >= 0.5) rounded += 1
  return rounded / scale
}

function trunc(args) {
  const values = flatten(args)
  if (!values.length) return NaN
  const precision = values.length > 1 && toBoolean(values[1]) ? values[1] : -1
  if (!isNumber(values[0]) || !isNumber(precision)) return NaN
  const text = toJsString(values[0])
  let end = text[0] === '-' ? 1 : 0
  while (end < text.length && isDigit(text[end])) end++
  const places = toJsString(precision)
  if (end < text.length && /^[0-9]*$/.test(places)) {
    const limit = places ? parseInt(places, 10) : Infinity
    let fractionEnd = end + 1
    while (fractionEnd < text.length && fractionEnd - end - 1 < limit && isDigit(text[fractionEnd])) fractionEnd++
    end = fractionEnd
  }
  return Number(text.slice(0, end))
}

function substring(args) {
  const text = args[0]
  if (typeof text !== 'string' || !text || !isNumber(args[1])) return ''
  const index = value => {
    const n = toNumber(value)
    return Number.isNaN(n) ? 0 : Math.min(Math.max(Math.trunc(n), 0), text.length)
  }
  const start = index(args[1])
  const end = args.length > 2 && isNumber(args[2]) ? index(args[2]) : text.length
  return start <= end ? text.slice(start, end) : text.slice(end, start)
}

const FUNCTIONS = {
  iif: { min: 2, max: 3, invoke: args => (toBoolean(args[0]) ? args[1] : args.length > 2 ? args[2] : null) },
  sum: { min: 1, max: Infinity, invoke: sum },
  min: { min: 1, max: Infinity, invoke: args => extreme(args, true) },
  max: { min: 1, max: Infinity, invoke: args => extreme(args, false) },
  avg: { min: 1, max: Infinity, invoke: args => { const n = flatten(args).length; return n ? toNumber(sum(args)) / n : 0 } },
  count: { min: 1, max: Infinity, invoke: args => flatten(args).length },
  round: { min: 1, max: 2, invoke: round },
  trunc: { min: 1, max: 2, invoke: trunc },
  substring: { min: 2, max: 3, invoke: substring },
}

// ---------------------------------------------------------------- variables (VariableScope.cs)

function findKey(keys, name) {
  let exact = null
  let caseless = null
  let prefix = null
  const lowerName = name.toLowerCase()
  keys.forEach(key => {
    if (key.length === name.length) {
      if (key === name) exact = key
      else if (caseless === null && key.toLowerCase() === lowerName) caseless = key
    } else if (key.length > 0 && key.length < name.length && (name[key.length] === '.' || name[key.length] === '[')
      && lowerName.indexOf(key.toLowerCase()) === 0 && key.length > (prefix ? prefix.length : 0)) {
      prefix = key
    }
  })
  const key = exact !== null ? exact : caseless !== null ? caseless : prefix
  return key === null ? null : { key, whole: exact !== null || caseless !== null }
}

function walk(path, value) {
  while (path.length > 0) {
    if (path[0] === '[') {
      const close = path.indexOf(']')
      const index = close < 0 ? NaN : Number(path.slice(1, close))
      if (!isArray(value) || !Number.isInteger(index) || index < 0 || index >= value.length) return { found: false }
      value = value[index]
      path = path.slice(close + 1)
      continue
    }
    if (path[0] !== '.') return { found: false }
    path = path.slice(1)
    const match = isObject(value) ? findKey(Object.keys(value), path) : null
    if (match) {
      value = value[match.key]
      path = match.whole ? '' : path.slice(match.key.length)
    } else if ((isArray(value) || typeof value === 'string') && path.indexOf('length') === 0 && (path.length === 6 || path[6] === '.' || path[6] === '[')) {
      value = value.length
      path = path.slice(6)
    } else return { found: false }
  }
  return { found: true, value }
}

function variable(values, name, keepRaw) {
  let resolved = { found: false }
  const match = findKey(Object.keys(values), name)
  if (match) resolved = match.whole ? { found: true, value: values[match.key] } : walk(name.slice(match.key.length), values[match.key])
  // An empty answer ("" or []) is no answer.
  if (!resolved.found || isEmpty(resolved.value)) return /\.length$/.test(name) ? 0 : null
  return keepRaw ? resolved.value : correctValue(resolved.value)
}

// ---------------------------------------------------------------- evaluation

function evaluate(node, values) {
  switch (node.t) {
    case 'const': return node.v
    case 'var': return variable(values, node.name, node.keepRaw)
    case 'array': return node.items.map(item => evaluate(item, values))
    case 'unary': {
      const value = evaluate(node.operand, values)
      if (node.op === 'empty') return isEmpty(value)
      if (node.op === 'notempty') return !isEmpty(value)
      return !toBoolean(value)
    }
    case 'binary': return binaryOperation(node.op, evaluate(node.left, values), evaluate(node.right, values))
    case 'call': return node.fn(node.args.map(arg => evaluate(arg, values)))
    default: return null
  }
}

const cache = {}

/** A compiled expression ({ text, evaluate(values), isTrue(values) }), or null when the text does not parse. */
function compile(text) {
  if (Object.prototype.hasOwnProperty.call(cache, text)) return cache[text]
  let compiled = null
  try {
    const root = parse(text)
    compiled = {
      text,
      evaluate: values => {
        const result = evaluate(root, values || {})
        return typeof result === 'number' && !Number.isFinite(result) ? null : result
      },
      // SurveyJS's condition result: result == true (true, 1, '1' and [1] are true).
      isTrue: values => looseEqualsTrue(evaluate(root, values || {})),
    }
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error
  }
  cache[text] = compiled
  return compiled
}

/** Whether a condition holds for these answers; `fallback` when the text does not parse. */
function isTrue(text, values, fallback) {
  const compiled = compile(text)
  return compiled ? compiled.isTrue(values) : !!fallback
}

module.exports = { parse, compile, isTrue, isEmpty, valuesEqual }
