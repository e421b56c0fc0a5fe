using Survey.Api.Questionnaires.Authoring;
using Survey.Domain.Questionnaires;
using Survey.Tests.Domain.Questionnaires;

namespace Survey.Tests.Api.Questionnaires;

public static class QuestionnaireRequests
{
    public static CreateQuestionnaireRequest Create(params Question[] questions) =>
        new(Samples.Text("After-service survey", "售后服务调查"), "en", ["en", "zh-CN"], Questions: questions);
}
