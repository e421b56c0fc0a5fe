namespace Survey.Api.Questionnaires;

/// <summary>Request bodies shown as examples in the API reference.</summary>
internal static class QuestionnaireExamples
{
    public const string Create = """
        {
          "title": { "en": "After-service survey", "zh-CN": "售后服务调查" },
          "defaultLocale": "en",
          "locales": ["en", "zh-CN"],
          "questions": [
            { "id": "nps", "type": "nps", "required": true,
              "text": { "en": "How likely are you to recommend {dealer.name}?", "zh-CN": "您向朋友推荐{dealer.name}的可能性有多大？" } },
            { "id": "wrong", "type": "multipleChoice", "visibleIf": "{nps} <= 6", "maxChoices": 2,
              "text": { "en": "What went wrong?", "zh-CN": "哪里做得不好？" },
              "choices": [
                { "value": "wait", "text": { "en": "Waiting time", "zh-CN": "等待时间" } },
                { "value": "price", "text": { "en": "Price", "zh-CN": "价格" } } ] }
          ]
        }
        """;

    public const string AddQuestion = """
        { "position": 1,
          "question": { "id": "comment", "type": "freeText", "maxLength": 2000, "page": 2, "requiredIf": "{nps} <= 6",
                        "text": { "en": "What should we do better?", "zh-CN": "我们哪里可以做得更好？" } } }
        """;

    public const string Question = """
        { "id": "csat", "type": "csat", "required": true, "text": { "en": "How satisfied are you with the repair?", "zh-CN": "您对维修满意吗？" } }
        """;

    public const string Reorder = """{ "order": ["nps", "comment", "wrong"] }""";

    public const string Details = """
        { "title": { "en": "After-service survey", "zh-CN": "售后服务调查" }, "description": { "en": "Two minutes", "zh-CN": "两分钟" },
          "defaultLocale": "en", "locales": ["en", "zh-CN"] }
        """;

    public const string SurveyJs = """
        { "title": { "default": "After-service survey", "zh-cn": "售后服务调查" },
          "pages": [ { "elements": [
            { "type": "rating", "name": "nps", "title": "How likely are you to recommend us?", "rateMin": 0, "rateMax": 10, "isRequired": true },
            { "type": "checkbox", "name": "wrong", "title": "What went wrong?", "visibleIf": "{nps} <= 6",
              "choices": [ { "value": "wait", "text": "Waiting time" }, { "value": "price", "text": "Price" } ] },
            { "type": "comment", "name": "why", "title": "Anything else?" } ] } ] }
        """;
}
