'use strict'
/** The component's own words, in the two languages a respondent can get. Survey texts come from the server. */

const STRINGS = {
  'zh-CN': {
    loading: '加载中…',
    next: '下一页',
    back: '上一页',
    submit: '提交',
    submitting: '正在提交…',
    retry: '重试',
    progress: '第 {page} / {count} 页',
    required: '请回答此问题。',
    requiredMark: '必答',
    chooseAtLeast: '请至少选择 {n} 项。',
    chooseAtMost: '最多选择 {n} 项',
    chooseBetween: '请选择 {min} 到 {max} 项',
    tooLong: '请不要超过 {n} 个字。',
    textPlaceholder: '请输入…',
    thanks: '感谢您的反馈！',
    thanksDetail: '您的回答已提交。',
    alreadyAnswered: '您已完成此问卷，感谢参与！',
    offline: '网络不可用。您的回答已保存在本机，网络恢复后会自动发送。',
    retrying: '暂时无法连接服务器。您的回答已保存在本机，稍后会自动发送。',
    pending: '正在保存…',
    loadFailed: '问卷加载失败，请检查网络后重试。',
    expired: '此问卷已过期，感谢您的关注。',
    invalidLink: '此问卷链接无效。',
    notFound: '找不到此问卷。',
    missingSource: '缺少问卷参数（token 或 linkId）。',
    noneWaiting: '暂时没有待填写的问卷，感谢关注！',
    signInAgain: '登录已过期，请重新进入后再试。',
    tooManyRequests: '请求过于频繁，请稍后再试。',
    fixAnswers: '请检查标出的回答。',
    saveRejected: '部分回答未能保存：{title}',
    scaleHint: '{min} 到 {max} 分',
  },
  en: {
    loading: 'Loading…',
    next: 'Next',
    back: 'Back',
    submit: 'Submit',
    submitting: 'Submitting…',
    retry: 'Try again',
    progress: 'Page {page} of {count}',
    required: 'Please answer this question.',
    requiredMark: 'required',
    chooseAtLeast: 'Choose at least {n}.',
    chooseAtMost: 'Choose up to {n}',
    chooseBetween: 'Choose {min} to {max}',
    tooLong: 'Keep it under {n} characters.',
    textPlaceholder: 'Type your answer…',
    thanks: 'Thank you for your feedback!',
    thanksDetail: 'Your answers have been submitted.',
    alreadyAnswered: 'You have already answered this survey. Thank you!',
    offline: 'You are offline. Your answers are kept on this phone and will be sent when you are back online.',
    retrying: 'The server cannot be reached right now. Your answers are kept on this phone and will be sent shortly.',
    pending: 'Saving…',
    loadFailed: 'The survey could not be loaded. Check your connection and try again.',
    expired: 'This survey has expired. Thank you for your interest.',
    invalidLink: 'This survey link is not valid.',
    notFound: 'This survey could not be found.',
    missingSource: 'The survey link is incomplete (no token or linkId).',
    noneWaiting: 'No survey is waiting for you right now. Thank you!',
    signInAgain: 'Your sign-in has expired. Please open this page again.',
    tooManyRequests: 'Too many requests. Please wait a moment and try again.',
    fixAnswers: 'Please check the marked answers.',
    saveRejected: 'Some answers could not be saved: {title}',
    scaleHint: '{min} to {max}',
  },
}

/** zh, zh-CN, zh_CN, zh-Hans… are zh-CN; everything else is en. */
function uiLocale(tag) {
  return /^zh/i.test(String(tag || '')) ? 'zh-CN' : 'en'
}

function strings(tag) {
  return STRINGS[uiLocale(tag)]
}

function format(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (match, name) => (values && values[name] != null ? String(values[name]) : match))
}

module.exports = { STRINGS, uiLocale, strings, format }
