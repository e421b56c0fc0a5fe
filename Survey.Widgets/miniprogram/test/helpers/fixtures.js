'use strict'
/** Survey views as GET /api/public/surveys/by-token/{token} answers them (docs/respondent-api.md section 1). */

const API = 'https://cx.example.com'
const TOKEN = 'inv_7Qm2xK9pL4rT8wZ1'
const LINK = 'Vb3k1xQ0aP2mZr8w'
const MEMBER_TOKEN = 'eyJBdWQiOiJzdXJ2ZXktbWVtYmVyIn0.c2lnbmF0dXJl'
const QUESTIONNAIRE = '0195a3c4-6b1e-7c2d-9f00-1a2b3c4d5e6f'

// The renderer writes every field of a question, null where it does not apply.
function question(fields) {
  return Object.assign({
    description: null, required: false, visibleIf: null, requiredIf: null,
    scale: null, choices: null, minChoices: null, maxChoices: null, maxLength: null,
  }, fields)
}

const TEXTS = {
  'zh-CN': {
    title: '售后服务调查',
    description: '只需两分钟，王先生。',
    nps: '您向朋友推荐上海浦东店的可能性有多大？',
    npsMin: '完全不可能',
    npsMax: '非常可能',
    wrong: '哪里做得不好？',
    wait: '等待时间',
    price: '价格',
    staff: '服务态度',
    csat: '您对本次服务满意吗？',
    visit: '您这次来做什么？',
    repair: '维修',
    maintenance: '保养',
    comment: '您打了 {nps} 分，还有什么想说的？',
  },
  en: {
    title: 'After-service survey',
    description: 'Two minutes, Mr Wang.',
    nps: 'How likely are you to recommend Shanghai Pudong to a friend?',
    npsMin: 'Not at all likely',
    npsMax: 'Extremely likely',
    wrong: 'What went wrong?',
    wait: 'Waiting time',
    price: 'Price',
    staff: 'Staff',
    csat: 'How satisfied are you with this visit?',
    visit: 'What was your visit for?',
    repair: 'Repair',
    maintenance: 'Maintenance',
    comment: 'You gave us {nps}. Anything else to tell us?',
  },
}

/** Three pages: NPS (+ a follow-up shown for detractors), CSAT and the visit type, a comment required after "wait". */
function afterServiceSurvey(locale, source) {
  const t = TEXTS[locale]
  return {
    questionnaireId: QUESTIONNAIRE,
    version: 3,
    source: source || { kind: 'invitation', token: TOKEN },
    locale,
    locales: ['zh-CN', 'en'],
    title: t.title,
    description: t.description,
    pageCount: 3,
    questions: [
      question({ id: 'nps', type: 'nps', page: 1, text: t.nps, required: true, scale: { min: 0, max: 10, minLabel: t.npsMin, maxLabel: t.npsMax } }),
      question({
        id: 'wrong', type: 'multipleChoice', page: 1, text: t.wrong, visibleIf: '{nps} <= 6', maxChoices: 2,
        choices: [{ value: 'wait', text: t.wait }, { value: 'price', text: t.price }, { value: 'staff', text: t.staff }],
      }),
      question({ id: 'csat', type: 'csat', page: 2, text: t.csat, required: true, scale: { min: 1, max: 5, minLabel: null, maxLabel: null } }),
      question({ id: 'visit', type: 'singleChoice', page: 2, text: t.visit, choices: [{ value: 'repair', text: t.repair }, { value: 'maintenance', text: t.maintenance }] }),
      question({ id: 'comment', type: 'freeText', page: 3, text: t.comment, requiredIf: "{wrong} contains 'wait'", maxLength: 200 }),
    ],
    theme: { primaryColor: '#1d4ed8', backgroundColor: '#ffffff', textColor: '#111827', fontFamily: 'system-ui, sans-serif', radius: 8 },
    response: null,
  }
}

module.exports = { API, TOKEN, LINK, MEMBER_TOKEN, QUESTIONNAIRE, TEXTS, afterServiceSurvey }
