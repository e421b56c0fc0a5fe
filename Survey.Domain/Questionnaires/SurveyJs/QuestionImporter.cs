using System.Text.Json.Nodes;

namespace Survey.Domain.Questionnaires.SurveyJs;

/// <summary>The type-specific part of a question while it is being imported.</summary>
internal sealed class Shape(string name, LocalizedText title)
{
    public string Name { get; } = name;
    public LocalizedText Title { get; } = title;
    public QuestionType Type { get; set; }
    public List<Choice>? Choices { get; set; }
    public int? MinChoices { get; set; }
    public int? MaxChoices { get; set; }
    public int? ScaleMin { get; set; }
    public int? ScaleMax { get; set; }
    public LocalizedText? MinLabel { get; set; }
    public LocalizedText? MaxLabel { get; set; }
    public int? MaxLength { get; set; }
}

/// <summary>One SurveyJS question element: the properties every question has, then its type's own (see <see cref="ChoiceImporter"/>, <see cref="BooleanImporter"/>, <see cref="RatingImporter"/>).</summary>
internal static class QuestionImporter
{
    private static readonly Dictionary<string, string> Reasons = new()
    {
        ["defaultValue"] = "Default answers are not supported; dropped.",
        ["defaultValueExpression"] = "Default answers are not supported; dropped.",
        ["correctAnswer"] = "Quiz answers are not supported; dropped.",
        ["requiredErrorText"] = "Custom error messages are not supported; dropped.",
        ["valueName"] = "Storing the answer under another name (valueName) is not supported; the answer is stored under the question id.",
        ["setValueIf"] = "Expressions that set or reset answers are not supported; dropped.",
        ["setValueExpression"] = "Expressions that set or reset answers are not supported; dropped.",
        ["resetValueIf"] = "Expressions that set or reset answers are not supported; dropped.",
        ["placeholder"] = "Placeholders are not supported; dropped.",
        ["placeHolder"] = "Placeholders are not supported; dropped.",
        ["optionsCaption"] = "Placeholders are not supported; dropped.",
    };

    public static bool Supports(string type) => type is "text" or "comment" or "boolean" or "radiogroup" or "dropdown" or "checkbox" or "tagbox" or "rating";

    public static Draft? Import(ImportContext ctx, JsonProps props, string type, IReadOnlyList<string> conditions, int page)
    {
        // SurveyJS trims names and strips braces from them (makeNameValid in question.ts)
        var name = ctx.Str(props.Take(out var namePath, "name"), namePath)?.Replace("{", "").Replace("}", "").Trim();
        if (string.IsNullOrEmpty(name)) { ctx.Issue(props.Path, $"The {type} question has no name; skipped."); return null; }
        // visible and isRequired are overridden by visibleIf and requiredIf when those are set (question.ts runCondition)
        var visibleIf = ctx.Expression(props.Take(out var visibleIfPath, "visibleIf"), visibleIfPath);
        if (ctx.Bool(props.Take(out var visiblePath, "visible"), visiblePath) == false && visibleIf is null)
        {
            ctx.Issue(visiblePath, "The question is hidden (visible: false); skipped.");
            return null;
        }

        // a missing title shows the name, as in SurveyJS
        var title = ctx.Text(props.Take("title"), props.At("title")) is { } text ? ctx.WithDefault(text, name) : ctx.SameInEveryLocale(name);

        var shape = new Shape(name, title);
        var imported = type switch
        {
            "text" or "comment" => TextShape(ctx, props, type, shape),
            "boolean" => BooleanImporter.Boolean(ctx, props, shape),
            "rating" => RatingImporter.Rating(ctx, props, shape),
            _ => ChoiceImporter.Select(ctx, props, type, shape),
        };
        if (!imported) return null;

        var description = ctx.Text(props.Take("description"), props.At("description"));
        var required = ctx.Bool(props.Take(out var requiredPath, "isRequired"), requiredPath) ?? false;
        var requiredIf = ctx.Expression(props.Take(out var requiredIfPath, "requiredIf"), requiredIfPath);
        if (requiredIf is not null) required = false;
        if (ctx.Expression(props.Take(out var enableIfPath, "enableIf"), enableIfPath) is not null)
            ctx.Issue(enableIfPath, "Conditional enabling (enableIf) is not supported; the question is always enabled.");
        if (ctx.Bool(props.Take(out var readOnlyPath, "readOnly"), readOnlyPath) == true)
            ctx.Issue(readOnlyPath, "Read-only questions are not supported; the question can be answered.");
        if (ctx.Bool(props.Take(out var commentPath, "showCommentArea", "hasComment"), commentPath) == true)
            ctx.Issue(commentPath, "The comment box next to a question is not supported; dropped.");
        props.Take("commentText");
        props.Take("commentPlaceholder", "commentPlaceHolder");
        ValidatorImporter.Validators(ctx, props, shape);
        if (shape.MaxLength > QuestionTypes.MaxTextLength)
        {
            ctx.Issue(props.At("maxLength"), $"A maximum length of {shape.MaxLength} exceeds our limit of {QuestionTypes.MaxTextLength} characters; the limit is ours.");
            shape.MaxLength = null;
        }
        props.ReportRest(ctx, JsonProps.LayoutOnly.Element, Reasons);

        var question = new Question(
            Id: name, Type: shape.Type, Text: title, Description: description, Required: required,
            VisibleIf: ElementImporter.Combine(visibleIf is null ? conditions : [.. conditions, visibleIf]), RequiredIf: requiredIf,
            Choices: shape.Choices, MinChoices: shape.MinChoices, MaxChoices: shape.MaxChoices,
            ScaleMin: shape.ScaleMin, ScaleMax: shape.ScaleMax, MinLabel: shape.MinLabel, MaxLabel: shape.MaxLabel,
            MaxLength: shape.MaxLength, Page: page);
        return new Draft(question, props.Path, name);
    }

    /// <summary>
    /// text and comment become free text. maxLength -1 (the default) takes the survey's maxTextLength, 0 means no limit.
    /// A text input of another inputType (email, number, date, tel...) is kept as free text; the input's own checks are reported dropped.
    /// </summary>
    private static bool TextShape(ImportContext ctx, JsonProps props, string type, Shape shape)
    {
        shape.Type = QuestionType.FreeText;
        shape.MaxLength = ctx.Int(props.Take(out var maxLengthPath, "maxLength"), maxLengthPath) switch
        {
            null or < 0 => ctx.SurveyMaxTextLength,
            0 => null,
            var max => max,
        };
        if (type == "text" && ctx.Str(props.Take(out var inputTypePath, "inputType"), inputTypePath)?.Trim().ToLowerInvariant() is { Length: > 0 } inputType && inputType != "text")
            ctx.Issue(inputTypePath, $"Input type '{inputType}' is not supported: the question was imported as free text without the input's own checks.");
        return true;
    }
}
