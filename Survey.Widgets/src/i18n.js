// The widget's own words in zh-CN and en; the survey's texts come localized from the server.
const en = {
  next: "Next",
  back: "Back",
  submit: "Submit",
  close: "Close survey",
  page: "Page {0} of {1}",
  required: "Please answer this question.",
  check: "Please check the highlighted questions.",
  atMost: "Choose at most {0}.",
  atLeast: "Choose at least {0}.",
  chars: "{0} of {1} characters",
  req: "(required)",
  thanks: "Thank you for your feedback!",
  done: "You have already answered this survey. Thank you!",
  offline: "You are offline. Your answers are kept on this device and will be sent when you are back online.",
  failed: "This survey cannot be answered right now.",
  pre: "{0} is not sent yet: choose it again or press “{1}” to send it.",
};

const zh = {
  next: "下一页",
  back: "上一页",
  submit: "提交",
  close: "关闭问卷",
  page: "第 {0} 页，共 {1} 页",
  required: "请回答此问题。",
  check: "请检查标出的问题。",
  atMost: "最多选择 {0} 项。",
  atLeast: "至少选择 {0} 项。",
  chars: "{0}/{1} 字",
  req: "（必填）",
  thanks: "感谢您的反馈！",
  done: "您已回答过此问卷，谢谢！",
  offline: "您当前处于离线状态。答案已保存在本设备上，恢复联网后会自动发送。",
  failed: "此问卷暂时无法作答。",
  pre: "{0} 分尚未提交：再次选择或点击“{1}”即可提交。",
};

/** The UI language of a BCP 47 tag: Chinese for zh*, English otherwise. */
export const strings = (lang) => {
  const s = /^zh/i.test(lang || "") ? zh : en;
  return (key, ...args) => s[key].replace(/\{(\d)\}/g, (_, i) => args[i]);
};

/** From the page (<html lang>) or else the browser. */
export const pageLanguage = () => document.documentElement.lang || navigator.language || "en";
