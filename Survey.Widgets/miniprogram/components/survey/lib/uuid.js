'use strict'
/** UUID v4 for response ids, from wx.getRandomValues (cryptographically strong) or Math.random where it is missing. */

function format(bytes) {
  bytes[6] = (bytes[6] & 0x0f) | 0x40 // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80 // RFC 4122 variant
  let hex = ''
  for (let i = 0; i < 16; i++) hex += (bytes[i] + 0x100).toString(16).slice(1)
  return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20)
}

function fromMathRandom() {
  const bytes = []
  for (let i = 0; i < 16; i++) bytes.push(Math.floor(Math.random() * 256))
  return format(bytes)
}

/** Resolves with a new UUID v4; never rejects. */
function uuidV4() {
  return new Promise(resolve => {
    const api = typeof wx === 'object' && wx ? wx : null
    if (!api || typeof api.getRandomValues !== 'function') {
      resolve(fromMathRandom())
      return
    }
    try {
      api.getRandomValues({
        length: 16,
        success: res => {
          const bytes = Array.prototype.slice.call(new Uint8Array(res.randomValues))
          resolve(bytes.length >= 16 ? format(bytes) : fromMathRandom())
        },
        fail: () => resolve(fromMathRandom()),
      })
    } catch (error) {
      resolve(fromMathRandom())
    }
  })
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

module.exports = { uuidV4, UUID_PATTERN }
