'use strict'
/** Reading and operating the rendered component like a respondent: taps, typing, visible texts. */
const { tick } = require('./mount.js')

function text(node) {
  return node ? node.textContent.replace(/\s+/g, ' ').trim() : ''
}

/** The rendered block of one question (null when logic hides it or it is on another page). */
function question(comp, id) {
  return comp.dom.querySelector('.main--question[data-id="' + id + '"]')
}

function shownQuestions(comp) {
  return Array.from(comp.dom.querySelectorAll('.main--question')).map(node => node.getAttribute('data-id'))
}

function errorsOf(comp, id) {
  const node = question(comp, id)
  return node ? Array.from(node.querySelectorAll('.main--error-text')).map(text) : []
}

function points(comp, id) {
  const scale = comp.querySelector('#scale-' + id)
  if (!scale) throw new Error('no scale for ' + id)
  return scale.querySelectorAll('.point')
}

async function tapPoint(comp, id, value) {
  const point = points(comp, id).find(p => p.dom.getAttribute('data-value') === String(value))
  if (!point) throw new Error('no point ' + value + ' on ' + id)
  point.dispatchEvent('tap')
  await tick()
}

function selectedPoint(comp, id) {
  const selected = points(comp, id).filter(p => p.dom.classList.contains('survey-scale--selected'))
  return selected.length ? Number(selected[0].dom.getAttribute('data-value')) : null
}

async function tapChoice(comp, id, value) {
  const list = comp.querySelector('#choice-' + id)
  if (!list) throw new Error('no choice list for ' + id)
  const choice = list.querySelectorAll('.choice').find(c => c.dom.getAttribute('data-value') === value)
  if (!choice) throw new Error('no choice ' + value + ' on ' + id)
  choice.dispatchEvent('tap')
  await tick()
}

function selectedChoices(comp, id) {
  const list = comp.querySelector('#choice-' + id)
  return list.querySelectorAll('.choice').filter(c => c.dom.classList.contains('survey-choice--selected')).map(c => c.dom.getAttribute('data-value'))
}

async function type(comp, id, value) {
  const area = comp.querySelector('#text-' + id)
  if (!area) throw new Error('no text box for ' + id)
  area.dispatchEvent('input', { detail: { value, cursor: value.length } })
  await tick()
}

async function tapButton(comp, name) {
  const button = comp.querySelector('.' + name)
  if (!button) throw new Error('no ' + name + ' button')
  button.dispatchEvent('tap')
  await tick()
}

function progressText(comp) {
  return text(comp.dom.querySelector('.main--progress-text'))
}

module.exports = { text, question, shownQuestions, errorsOf, points, tapPoint, selectedPoint, tapChoice, selectedChoices, type, tapButton, progressText }
