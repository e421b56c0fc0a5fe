using Survey.Api.Security;
using Survey.Api.Questionnaires.Authoring;
using Survey.Api.Questionnaires.Exchanging;
using Survey.Api.Questionnaires.Publishing;
using Survey.Api.Questionnaires.Reading;
using Survey.Api.Questionnaires.Translating;

namespace Survey.Api.Questionnaires;

public static class QuestionnairesApi
{
    public const string Tag = "Questionnaires";

    public static IEndpointRouteBuilder MapQuestionnairesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/questionnaires").WithTags(Tag).RequireReadWrite(Policies.DesignRead, Policies.Design);
        group.MapAuthoring();
        group.MapPublishing();
        group.MapReading();
        group.MapExchanging();
        group.MapTranslating();
        return app;
    }
}
