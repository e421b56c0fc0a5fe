using Survey.Domain.Questionnaires;

namespace Survey.Tests.Domain.Questionnaires;

/// <summary>Small, realistic questionnaire parts for tests.</summary>
public static class Samples
{
    public static readonly Guid Id = Guid.Parse("0195f000-0000-7000-8000-000000000001");
    public static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    public static LocalizedText Text(string en, string? zh = null)
    {
        var text = LocalizedText.Of("en", en);
        if (zh is not null) text["zh-CN"] = zh;
        return text;
    }

    public static Question Nps(string id = "nps") =>
        new(id, QuestionType.Nps, Text("How likely are you to recommend {dealer.name}?", "您向朋友推荐{dealer.name}的可能性有多大？"), Required: true);

    public static Question WhatWentWrong(string id = "wrong", string visibleIf = "{nps} <= 6") =>
        new(id, QuestionType.MultipleChoice, Text("What went wrong?", "哪里做得不好？"), VisibleIf: visibleIf,
            Choices: [new("wait", Text("Waiting time", "等待时间")), new("price", Text("Price", "价格"))], MaxChoices: 2);

    public static Question Comment(string id = "comment") =>
        new(id, QuestionType.FreeText, Text("Anything else?", "还有什么想说的？"), MaxLength: 2000, Page: 2);

    public static QuestionnaireDefinition Definition(params Question[] questions) =>
        new(Text("After-service survey", "售后服务调查"), null, "en", ["en", "zh-CN"], questions);

    public static QuestionnaireCreated Created(params Question[] questions) => new(Id, Definition(questions), "api", Now);
}
