using Survey.Domain.Common;
using Survey.Domain.Questionnaires;
using static Survey.Tests.Domain.Questionnaires.Samples;

namespace Survey.Tests.Domain.Questionnaires;

public class TranslationTests
{
    private static QuestionnaireDefinition EnglishOnly() => new(
        Text("After-service survey"), null, "en", ["en", "zh-CN"],
        [new Question("nps", QuestionType.Nps, Text("How likely are you to recommend us?")),
         new Question("wrong", QuestionType.SingleChoice, Text("What went wrong?"), Choices: [new("wait", Text("Waiting time")), new("price", Text("Price"))])]);

    [Fact]
    public void Entries_list_every_text_by_stable_key_with_source_and_translation()
    {
        var entries = Translations.Entries(EnglishOnly(), "zh-CN");
        entries.Select(e => e.Key).ShouldBe(["title", "questions.nps.text", "questions.wrong.text", "questions.wrong.choices.wait", "questions.wrong.choices.price"]);
        entries.ShouldAllBe(e => e.Text == null);
        entries[1].Source.ShouldBe("How likely are you to recommend us?");
    }

    [Fact]
    public void Given_draft_When_translated_Then_texts_set_and_publishable()
    {
        var created = new QuestionnaireCreated(Id, EnglishOnly(), "api", Now);
        var zh = new Dictionary<string, string?>
        {
            ["title"] = "售后服务调查", ["questions.nps.text"] = "您会推荐我们吗？", ["questions.wrong.text"] = "哪里做得不好？",
            ["questions.wrong.choices.wait"] = "等待时间", ["questions.wrong.choices.price"] = "价格",
        };
        var translated = QuestionnaireSpec.Given(created).When(new TranslateQuestionnaire("zh-cn", zh)).Then<QuestionnaireTranslated>();
        translated.Locale.ShouldBe("zh-CN");

        var spec = QuestionnaireSpec.Given(created, translated);
        spec.State()!.Draft.Find("wrong")!.Choices![1].Text["zh-CN"].ShouldBe("价格");
        Translations.Entries(spec.State()!.Draft, "zh-CN").ShouldAllBe(e => e.Text != null);
        spec.When(new PublishQuestionnaire()).Then<QuestionnairePublished>().Version.ShouldBe(1);
    }

    [Fact]
    public void An_empty_text_removes_a_translation()
    {
        var created = new QuestionnaireCreated(Id, Definition(Nps()), "api", Now);
        var removed = QuestionnaireSpec.Given(created).When(new TranslateQuestionnaire("zh-CN", new Dictionary<string, string?> { ["questions.nps.text"] = "" }))
            .Then<QuestionnaireTranslated>();
        QuestionnaireSpec.Given(created, removed).State()!.Draft.Find("nps")!.Text.ContainsKey("zh-CN").ShouldBeFalse();
    }

    [Fact]
    public void Unknown_keys_unknown_locales_and_the_default_locale_are_refused_with_paths()
    {
        var spec = QuestionnaireSpec.Given(new QuestionnaireCreated(Id, EnglishOnly(), "api", Now));
        spec.When(new TranslateQuestionnaire("zh-CN", new Dictionary<string, string?> { ["questions.ghost.text"] = "鬼", ["subtitle"] = "x" }))
            .ThenRejected<InvalidInputException>().Problems.Select(p => p.Path).ShouldBe(["texts.questions.ghost.text", "texts.subtitle"], ignoreOrder: true);
        spec.When(new TranslateQuestionnaire("fr", new Dictionary<string, string?> { ["title"] = "Enquête" }))
            .ThenRejected<InvalidInputException>().Problems.Single().Code.ShouldBe("unknown-locale");
        spec.When(new TranslateQuestionnaire("en", new Dictionary<string, string?> { ["title"] = "Survey" }))
            .ThenRejected<InvalidInputException>().Problems.Single().Code.ShouldBe("default-locale");
    }
}
