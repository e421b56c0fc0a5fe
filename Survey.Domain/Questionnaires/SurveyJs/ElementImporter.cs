using System.Text.Json.Nodes;

namespace Survey.Domain.Questionnaires.SurveyJs;

/// <summary>A question as imported, before ids are settled: <see cref="Name"/> is the SurveyJS name, <see cref="Path"/> its element.</summary>
internal sealed record Draft(Question Question, string Path, string Name);

/// <summary>
/// Pages, panels and the element tree. Pages become page numbers (1, 2... counting only pages that yield a question);
/// panels are flattened into their page in order, their visibleIf (and their page's) and-ed into every question inside.
/// visible: false hides a page, panel or question for good (skipped with an issue) unless it has a visibleIf, which overrides it.
/// </summary>
internal static class ElementImporter
{
    /// <summary>SurveyJS element types (survey-core 2.x/3.x) that have no counterpart in our model.</summary>
    private static readonly HashSet<string> Unsupported =
    [
        "expression", "file", "html", "image", "imagepicker", "matrix", "matrixdropdown", "matrixdynamic", "multipletext",
        "paneldynamic", "ranking", "signaturepad", "slider",
    ];

    private static readonly Dictionary<string, string> ContainerReasons = new()
    {
        ["title"] = "Page and panel titles are not part of our questionnaire model; the title was dropped (the questions were kept).",
        ["description"] = "Page and panel descriptions are not part of our questionnaire model; the description was dropped.",
        ["enableIf"] = "Conditional enabling (enableIf) is not supported; the questions are always enabled.",
        ["requiredIf"] = "A condition making a page or panel required is not supported; dropped (questions keep their own required settings).",
        ["timeLimit"] = "Time limits are not supported; dropped.",
        ["maxTimeToFinish"] = "Time limits are not supported; dropped.",
        ["navigationButtonsVisibility"] = "Navigation settings are not supported; dropped.",
        ["navigationTitle"] = "Navigation settings are not supported; dropped.",
        ["navigationDescription"] = "Navigation settings are not supported; dropped.",
    };

    public static List<Draft> ImportSurvey(ImportContext ctx, JsonProps survey)
    {
        var drafts = new List<Draft>();
        var pages = survey.Take("pages");
        var elements = survey.Take(out var elementsPath, "elements", "questions");
        if (pages is JsonArray list)
        {
            if (elements is not null) ctx.Issue(elementsPath, "The survey has pages; these top-level elements were ignored.");
            var page = 0;
            for (var i = 0; i < list.Count; i++) page = ImportPage(ctx, list[i], $"pages[{i}]", page, drafts);
        }
        else
        {
            if (pages is not null) ctx.Issue("pages", "Expected an array of pages; ignored.");
            if (elements is not null) ImportElements(ctx, elements, elementsPath, [], 1, drafts);
            else ctx.Issue("$", "The survey has no pages or elements.");
        }
        if (drafts.Count == 0 && !ctx.Issues.Any(i => i.Path == "$")) ctx.Issue("$", "No question could be imported.");
        return drafts;
    }

    /// <summary>Imports one page as page number <paramref name="lastPage"/> + 1; returns the last page number used.</summary>
    private static int ImportPage(ImportContext ctx, JsonNode? node, string path, int lastPage, List<Draft> drafts)
    {
        if (node is not JsonObject obj) { ctx.Issue(path, "Expected a page object; skipped."); return lastPage; }
        var props = new JsonProps(obj, path);
        props.Take("name");
        var conditions = ctx.Expression(props.Take(out var visibleIfPath, "visibleIf"), visibleIfPath) is { } visibleIf ? new[] { visibleIf } : [];
        if (ctx.Bool(props.Take(out var visiblePath, "visible"), visiblePath) == false && conditions.Length == 0)
        {
            ctx.Issue(visiblePath, "The page is hidden (visible: false); its questions were skipped.");
            return lastPage;
        }
        ReadOnlyFlag(ctx, props);
        var before = drafts.Count;
        ImportElements(ctx, props.Take(out var elementsPath, "elements", "questions"), elementsPath, conditions, lastPage + 1, drafts);
        props.ReportRest(ctx, JsonProps.LayoutOnly.Element, ContainerReasons);
        return drafts.Count > before ? lastPage + 1 : lastPage;
    }

    private static void ImportElements(ImportContext ctx, JsonNode? node, string path, IReadOnlyList<string> conditions, int page, List<Draft> drafts)
    {
        if (node is null) return;
        if (node is not JsonArray elements) { ctx.Issue(path, "Expected an array of elements; ignored."); return; }
        for (var i = 0; i < elements.Count; i++) ImportElement(ctx, elements[i], $"{path}[{i}]", conditions, page, drafts);
    }

    private static void ImportElement(ImportContext ctx, JsonNode? node, string path, IReadOnlyList<string> conditions, int page, List<Draft> drafts)
    {
        if (node is not JsonObject obj) { ctx.Issue(path, "Expected an element object; skipped."); return; }
        var props = new JsonProps(obj, path);
        var type = ctx.Str(props.Take(out var typePath, "type"), typePath)?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(type)) ctx.Issue(path, "The element has no type; skipped.");
        else if (type == "panel") ImportPanel(ctx, props, conditions, page, drafts);
        else if (Unsupported.Contains(type)) ctx.Issue(path, $"Element type '{type}' is not supported; skipped.");
        else if (!QuestionImporter.Supports(type)) ctx.Issue(path, $"Unknown element type '{type}'; skipped.");
        else if (QuestionImporter.Import(ctx, props, type, conditions, page) is { } draft) drafts.Add(draft);
    }

    private static void ImportPanel(ImportContext ctx, JsonProps props, IReadOnlyList<string> conditions, int page, List<Draft> drafts)
    {
        props.Take("name");
        var visibleIf = ctx.Expression(props.Take(out var visibleIfPath, "visibleIf"), visibleIfPath);
        if (ctx.Bool(props.Take(out var visiblePath, "visible"), visiblePath) == false && visibleIf is null)
        {
            ctx.Issue(visiblePath, "The panel is hidden (visible: false); its questions were skipped.");
            return;
        }
        if (visibleIf is not null) conditions = [.. conditions, visibleIf];
        if (ctx.Bool(props.Take(out var requiredPath, "isRequired"), requiredPath) == true)
            ctx.Issue(requiredPath, "A required panel (answer at least one of its questions) is not supported; dropped.");
        ReadOnlyFlag(ctx, props);
        if (ctx.Str(props.Take(out var orderPath, "questionOrder", "questionsOrder"), orderPath) is { } order && order != "default" && order != "initial")
            ctx.Issue(orderPath, $"Question order '{order}' is not supported; the questions keep their order.");
        ImportElements(ctx, props.Take(out var elementsPath, "elements", "questions"), elementsPath, conditions, page, drafts);
        props.ReportRest(ctx, JsonProps.LayoutOnly.Element, ContainerReasons);
    }

    private static void ReadOnlyFlag(ImportContext ctx, JsonProps props)
    {
        if (ctx.Bool(props.Take(out var path, "readOnly"), path) == true)
            ctx.Issue(path, "Read-only pages and panels are not supported; their questions can be answered.");
    }

    /// <summary>The conditions of the containers and the element itself, all of which must hold: "(a) and (b)".</summary>
    public static string? Combine(IReadOnlyList<string> conditions) => conditions.Count switch
    {
        0 => null,
        1 => conditions[0],
        _ => string.Join(" and ", conditions.Select(c => $"({c})")),
    };
}
