using Survey.Domain.Questionnaires;

namespace Survey.Api.Questionnaires.Exchanging;

/// <summary>
/// Our own exchange format, documented in docs/questionnaire-format.md. Export then import gives back the same definition.
/// </summary>
/// <param name="Format">Always <c>survey-engine/questionnaire</c>.</param>
/// <param name="FormatVersion">1; a later format bumps it and keeps reading 1.</param>
/// <param name="Source">Where it was exported from (informational; ignored on import).</param>
public sealed record QuestionnaireDocument(string Format, int FormatVersion, QuestionnaireDefinition Definition, ExportSource? Source = null)
{
    public const string FormatName = "survey-engine/questionnaire";
    public const int CurrentFormatVersion = 1;
}

/// <param name="Version">The published version exported, or null for the draft.</param>
public sealed record ExportSource(Guid QuestionnaireId, int? Version, DateTimeOffset ExportedAt);

public sealed record SurveyJsImportIssueView(string Path, string Reason);

/// <param name="Questionnaire">The questionnaire created; null on a dry run.</param>
/// <param name="Definition">The converted definition.</param>
/// <param name="Unsupported">Each SurveyJS element or property that could not be carried over, by its JSON path.</param>
public sealed record SurveyJsImportView(QuestionnaireView? Questionnaire, QuestionnaireDefinition Definition, IReadOnlyList<SurveyJsImportIssueView> Unsupported);
