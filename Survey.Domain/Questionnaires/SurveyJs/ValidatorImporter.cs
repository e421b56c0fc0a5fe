using System.Text.Json.Nodes;

namespace Survey.Domain.Questionnaires.SurveyJs;

/// <summary>
/// SurveyJS validators (validator.ts: numeric, text, answercount, regex, email, expression). Two map onto our model:
/// a text validator's maxLength on free text (the smaller limit wins) and an answercount validator's minCount/maxCount on
/// multiple choice (the tighter bound wins). Every other validator, and any part of these two we cannot keep, is an issue.
/// </summary>
internal static class ValidatorImporter
{
    public static void Validators(ImportContext ctx, JsonProps props, Shape shape)
    {
        var node = props.Take(out var path, "validators");
        if (node is null) return;
        if (node is not JsonArray validators) { ctx.Issue(path, "Expected an array of validators; ignored."); return; }
        for (var i = 0; i < validators.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (validators[i] is not JsonObject obj) { ctx.Issue(itemPath, "Expected a validator object; dropped."); continue; }
            var validator = new JsonProps(obj, itemPath);
            var type = ctx.Str(validator.Take("type"), validator.At("type"))?.Trim().ToLowerInvariant() ?? "";
            if (type.EndsWith("validator", StringComparison.Ordinal)) type = type[..^"validator".Length];

            if (type == "text" && shape.Type == QuestionType.FreeText) Text(ctx, validator, shape);
            else if (type == "answercount" && shape.Type == QuestionType.MultipleChoice) AnswerCount(ctx, validator, shape);
            else { ctx.Issue(itemPath, $"The '{type}' validator is not supported here; dropped."); continue; }

            if (validator.Take("text") is not null) ctx.Issue(validator.At("text"), "Custom error messages are not supported; dropped.");
            validator.ReportRest(ctx, JsonProps.LayoutOnly.None);
        }
    }

    private static void Text(ImportContext ctx, JsonProps validator, Shape shape)
    {
        if (ctx.Int(validator.Take("maxLength"), validator.At("maxLength")) is int max and > 0)
            shape.MaxLength = shape.MaxLength is { } current ? Math.Min(current, max) : max;
        if (ctx.Int(validator.Take("minLength"), validator.At("minLength")) is > 0)
            ctx.Issue(validator.At("minLength"), "A minimum text length is not supported; dropped.");
        if (ctx.Bool(validator.Take("allowDigits"), validator.At("allowDigits")) == false)
            ctx.Issue(validator.At("allowDigits"), "Forbidding digits is not supported; dropped.");
    }

    private static void AnswerCount(ImportContext ctx, JsonProps validator, Shape shape)
    {
        if (ctx.Int(validator.Take("minCount"), validator.At("minCount")) is int min and > 0)
            shape.MinChoices = shape.MinChoices is { } current ? Math.Max(current, min) : min;
        if (ctx.Int(validator.Take("maxCount"), validator.At("maxCount")) is int max and > 0)
            shape.MaxChoices = shape.MaxChoices is { } current ? Math.Min(current, max) : max;
    }
}
