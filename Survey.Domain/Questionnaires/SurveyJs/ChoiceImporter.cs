using System.Globalization;
using System.Text.Json.Nodes;

namespace Survey.Domain.Questionnaires.SurveyJs;

/// <summary>
/// radiogroup and dropdown become single choice, checkbox and tagbox multiple choice (boolean: <see cref="BooleanImporter"/>).
/// Choices are plain values or { value, text } objects; a plain value is its own text in every locale.
/// "None" and "Other" items become ordinary choices with SurveyJS's values "none" and "other" (an issue says what is lost).
/// </summary>
internal static class ChoiceImporter
{
    public static bool Select(ImportContext ctx, JsonProps props, string type, Shape shape)
    {
        var multiple = type is "checkbox" or "tagbox";
        shape.Type = multiple ? QuestionType.MultipleChoice : QuestionType.SingleChoice;
        var choices = new List<Choice>();
        Read(ctx, props.Take(out var choicesPath, "choices"), choicesPath, choices);
        if (type == "dropdown") Generated(ctx, props, choices);

        var byUrl = props.Take(out var byUrlPath, "choicesByUrl");
        var fromQuestion = props.Take(out var fromPath, "choicesFromQuestion");
        props.Take("choicesFromQuestionMode");
        props.Take("choiceValuesFromQuestion");
        props.Take("choiceTextsFromQuestion");
        var kept = choices.Count > 0 ? "only the static choices were imported." : "the question has no static choices and was skipped.";
        if (byUrl is not null) ctx.Issue(byUrlPath, $"Choices loaded from a web service (choicesByUrl) are not supported; {kept}");
        if (fromQuestion is not null) ctx.Issue(fromPath, $"Choices copied from another question (choicesFromQuestion) are not supported; {kept}");
        if (choices.Count == 0 && (byUrl is not null || fromQuestion is not null)) return false;

        // special items in SurveyJS's order: none, refuse, don't know, then other
        var noneText = ctx.Text(props.Take("noneText"), props.At("noneText"));
        if (ctx.Bool(props.Take(out var nonePath, "showNoneItem", "hasNone"), nonePath) == true)
        {
            Add(ctx, choices, "none", noneText ?? ctx.BuiltIn("noneItemText"), nonePath);
            if (multiple) ctx.Issue(nonePath, "'None' was imported as an ordinary choice with value 'none': choosing it does not clear the other choices.");
        }
        foreach (var (show, text) in new[] { ("showRefuseItem", "refuseText"), ("showDontKnowItem", "dontKnowText") })
        {
            props.Take(text);
            if (ctx.Bool(props.Take(out var path, show), path) == true) ctx.Issue(path, $"The '{show}' item is not supported; dropped.");
        }
        var otherText = ctx.Text(props.Take("otherText"), props.At("otherText"));
        props.Take("otherPlaceholder", "otherPlaceHolder");
        props.Take("otherErrorText");
        props.Take("storeOthersAsComment");
        if (ctx.Bool(props.Take(out var otherPath, "showOtherItem", "hasOther"), otherPath) == true)
        {
            Add(ctx, choices, "other", otherText ?? ctx.BuiltIn("otherItemText"), otherPath);
            ctx.Issue(otherPath, "'Other' was imported as an ordinary choice with value 'other'; its text box for describing the answer was dropped.");
        }
        props.Take("selectAllText");
        if (ctx.Bool(props.Take(out var allPath, "showSelectAllItem", "hasSelectAll"), allPath) == true)
            ctx.Issue(allPath, "The 'Select all' item is not supported; dropped.");
        if (ctx.Str(props.Take(out var orderPath, "choicesOrder"), orderPath) is { } order && order != "none")
            ctx.Issue(orderPath, $"Choice order '{order}' is not supported; the choices keep their order.");

        if (multiple)
        {
            shape.MinChoices = ctx.Int(props.Take(out var minPath, "minSelectedChoices"), minPath) is int min and > 0 ? min : null;
            shape.MaxChoices = ctx.Int(props.Take(out var maxPath, "maxSelectedChoices"), maxPath) is int max and > 0 ? max : null;
        }
        if (choices.Count == 0) { ctx.Issue(props.Path, "The question has no choices; skipped."); return false; }
        shape.Choices = choices;
        return true;
    }

    /// <summary>Reads a SurveyJS item list (choices, rateValues) into <paramref name="into"/>.</summary>
    public static void Read(ImportContext ctx, JsonNode? node, string path, List<Choice> into)
    {
        if (node is null) return;
        if (node is not JsonArray items) { ctx.Issue(path, "Expected an array of choices; ignored."); return; }
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (items[i] is not JsonObject obj)
            {
                if (ImportContext.ScalarText(items[i]) is { } plain) Add(ctx, into, plain, ctx.SameInEveryLocale(plain), itemPath);
                else ctx.Issue(itemPath, "Expected a choice value or a { value, text } object; dropped.");
                continue;
            }
            var item = new JsonProps(obj, itemPath);
            var valueNode = item.Take(out var valuePath, "value");
            if (Value(ctx, valueNode, valuePath) is not { } value)
            {
                if (valueNode is null) ctx.Issue(itemPath, "The choice has no value; dropped.");
                continue;
            }
            var text = ctx.Text(item.Take("text"), item.At("text")) is { } t ? ctx.WithDefault(t, value) : ctx.SameInEveryLocale(value);
            foreach (var condition in new[] { "visibleIf", "enableIf" })
                if (ctx.Expression(item.Take(out var conditionPath, condition), conditionPath) is not null)
                    ctx.Issue(conditionPath, $"Conditions on single choices ({condition}) are not supported; dropped.");
            item.ReportRest(ctx, JsonProps.LayoutOnly.None);
            Add(ctx, into, value, text, itemPath);
        }
    }

    /// <summary>dropdown's choicesMin/choicesMax/choicesStep add numbers after the listed choices (question_dropdown.ts).</summary>
    private static void Generated(ImportContext ctx, JsonProps props, List<Choice> choices)
    {
        var min = ctx.Number(props.Take(out var minPath, "choicesMin"), minPath) ?? 0;
        var max = ctx.Number(props.Take(out var maxPath, "choicesMax"), maxPath) ?? 0;
        var step = ctx.Number(props.Take(out var stepPath, "choicesStep"), stepPath) ?? 1;
        if (max <= min) return;
        if (step <= 0) step = 1;
        if ((max - min) / step > 1000) { ctx.Issue(maxPath, "More than 1000 generated choices; not imported."); return; }
        for (var k = 0; min + k * step <= max + 1e-9; k++)
        {
            var value = Math.Round(min + k * step, 9).ToString("R", CultureInfo.InvariantCulture);
            Add(ctx, choices, value, ctx.SameInEveryLocale(value), maxPath);
        }
    }

    internal static string? Value(ImportContext ctx, JsonNode? node, string path)
    {
        if (node is null) return null;
        if (ImportContext.ScalarText(node) is { } value) return value;
        ctx.Issue(path, "Expected a text, number or boolean value; dropped.");
        return null;
    }

    private static void Add(ImportContext ctx, List<Choice> choices, string value, LocalizedText text, string path)
    {
        if (string.IsNullOrWhiteSpace(value)) ctx.Issue(path, "A choice with an empty value is not supported; dropped.");
        else if (choices.Any(c => c.Value == value)) ctx.Issue(path, $"Choice value '{value}' appears more than once; the later one was dropped.");
        else choices.Add(new Choice(value, text));
    }
}
