using System.Text.Json.Nodes;

namespace Survey.Domain.Questionnaires.SurveyJs;

/// <summary>
/// The properties of one SurveyJS object, read one by one. Whatever is not read by the end is either layout only
/// (<see cref="LayoutOnly"/>, ignored silently) or reported as an issue at its path: nothing is dropped silently.
/// </summary>
internal sealed class JsonProps(JsonObject obj, string path)
{
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    public string Path { get; } = path;

    public string At(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    /// <summary>The value of <paramref name="name"/> or the first alternative name SurveyJS also accepts (e.g. hasOther for showOtherItem).</summary>
    public JsonNode? Take(string name, params string[] alternatives) => Take(out _, name, alternatives);

    public JsonNode? Take(out string path, string name, params string[] alternatives)
    {
        path = At(name);
        JsonNode? found = null;
        foreach (var key in alternatives.Prepend(name))
        {
            if (!obj.TryGetPropertyValue(key, out var value)) continue;
            _taken.Add(key);
            if (found is null && value is not null) { found = value; path = At(key); }
        }
        return found;
    }

    public bool Has(string name) => obj.TryGetPropertyValue(name, out var value) && value is not null;

    /// <summary>Reports every property not read and not layout only, with the reason given for it or a general one.</summary>
    public void ReportRest(ImportContext ctx, IReadOnlySet<string> layoutOnly, IReadOnlyDictionary<string, string>? reasons = null)
    {
        foreach (var (key, _) in obj)
            if (!_taken.Contains(key) && !layoutOnly.Contains(key))
                ctx.Issue(At(key), reasons?.GetValueOrDefault(key) ?? $"'{key}' is not supported; it was dropped.");
    }

    /// <summary>Presentation settings with no meaning for the questions, their logic or their answers: ignored silently.</summary>
    public static class LayoutOnly
    {
        public static readonly IReadOnlySet<string> Survey = new HashSet<string>
        {
            "$schema", "sjsVersion", "showQuestionNumbers", "questionStartIndex", "questionTitlePattern", "questionTitleLocation",
            "questionDescriptionLocation", "questionErrorLocation", "requiredMark", "requiredText", "showTitle", "showPageTitles",
            "showPageNumbers", "widthMode", "width", "fitToContainer", "gridLayoutEnabled", "headerView", "logoFit", "logoPosition",
            "logoWidth", "logoHeight", "backgroundImage", "backgroundImageFit", "backgroundImageAttachment", "backgroundOpacity",
            "showProgressBar", "progressBarType", "progressBarLocation", "progressBarShowPageTitles", "progressBarShowPageNumbers",
            "progressBarInheritWidthFrom", "progressBarShowNavigationText", "progressBarNavigationTextLocation", "showTOC", "tocLocation",
            "navigationButtonsLocation", "commentAreaRows", "autoGrowComment", "allowResizeComment", "textUpdateMode",
            "autoFocusFirstQuestion", "focusFirstQuestionAutomatic", "autoFocusFirstError", "focusOnFirstError", "matrixDragHandleArea",
        };

        /// <summary>For pages, panels and questions alike.</summary>
        public static readonly IReadOnlySet<string> Element = new HashSet<string>
        {
            "startWithNewLine", "titleLocation", "descriptionLocation", "hideNumber", "showNumber", "indent", "innerIndent", "width",
            "minWidth", "maxWidth", "colSpan", "effectiveColSpan", "state", "errorLocation", "renderAs", "colCount",
            "separateSpecialChoices", "rows", "cols", "autoGrow", "allowResize", "displayMode", "rateType", "rateDisplayMode",
            "scaleColorMode", "rateColorMode", "rateDescriptionLocation", "displayRateDescriptionsAsExtremeItems", "itemComponent",
            "inputSize", "size", "inputTextAlignment", "textUpdateMode", "allowClear", "showOptionsCaption", "searchEnabled",
            "searchMode", "textWrapEnabled", "showClearButton", "useTitleAsLabel", "hideSelectedItems", "closeOnSelect",
            "questionTitleLocation", "questionTitleWidth", "questionErrorLocation", "showQuestionNumbers", "questionStartIndex",
            "gridLayoutColumns", "useDisplayValuesInDynamicTexts", "useDisplayValuesInTitle", "autocomplete", "autoComplete",
            "acceptCarriageReturn", "choicesLazyLoadEnabled", "choicesLazyLoadPageSize", "allowAdaptiveActions",
        };

        public static readonly IReadOnlySet<string> None = new HashSet<string>();
    }
}

/// <summary>
/// Our copy of the SurveyJS dictionary entries the importer needs (survey-core src/localization/english.ts and
/// simplified-chinese.ts). "Other" deviates on purpose: SurveyJS says "Other (describe)", but the describe box is not imported.
/// </summary>
internal static class BuiltInTexts
{
    private static readonly Dictionary<string, Dictionary<string, string>> Texts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = new() { ["booleanCheckedLabel"] = "Yes", ["booleanUncheckedLabel"] = "No", ["noneItemText"] = "None", ["otherItemText"] = "Other" },
        ["zh-CN"] = new() { ["booleanCheckedLabel"] = "是", ["booleanUncheckedLabel"] = "否", ["noneItemText"] = "无", ["otherItemText"] = "其他" },
    };

    /// <summary>The tag's own texts, else its language's ("en-GB" uses "en"); null when we have no dictionary for it.</summary>
    public static string? In(string key, string locale) =>
        (Texts.TryGetValue(locale, out var texts) || Texts.TryGetValue(locale.Split('-')[0], out texts)) && texts.TryGetValue(key, out var text) ? text : null;
}
