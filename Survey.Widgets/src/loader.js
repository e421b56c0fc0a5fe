// The one-line embed: <script src=".../widget/v1/loader.js" data-key="PUBLIC_KEY" async></script>
// Shell: the respondent issue loads the widget on demand from here.
(() => {
  const script = document.currentScript;
  window.surveyWidget = window.surveyWidget || { key: script?.dataset.key ?? null, track() {} };
})();
