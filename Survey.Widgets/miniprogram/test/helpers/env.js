'use strict'
/**
 * Test environment: a DOM (jsdom through global-jsdom) for miniprogram-simulate, with jsdom's Event classes in
 * place of Node's own (Node 20+ defines Event and CustomEvent globally, which jsdom's dispatchEvent rejects).
 */
require('global-jsdom/register')

global.Event = window.Event
global.CustomEvent = window.CustomEvent

const path = require('node:path')
const simulate = require('miniprogram-simulate')

const ROOT = path.resolve(__dirname, '..', '..')
const COMPONENT = path.join(ROOT, 'components', 'survey', 'index')
const lib = name => require(path.join(ROOT, 'components', 'survey', 'lib', name + '.js'))

module.exports = { simulate, ROOT, COMPONENT, lib }
