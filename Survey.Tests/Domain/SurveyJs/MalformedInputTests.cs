using System.Text.Json.Nodes;
using Survey.Domain.Questionnaires.SurveyJs;
using static Survey.Tests.Domain.SurveyJs.SurveyJsInput;

namespace Survey.Tests.Domain.SurveyJs;

public class MalformedInputTests
{
    [Theory]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("\"survey\"")]
    [InlineData("true")]
    public void Not_an_object(string json)
    {
        var result = Import(json);
        result.Paths().ShouldBe(["$"]);
        result.Definition.Questions.ShouldBeEmpty();
        result.Definition.Locales.ShouldBe(["en"]);
    }

    [Fact]
    public void Null_input()
    {
        var result = SurveyJsImporter.Import(null!);
        result.Paths().ShouldBe(["$"]);
    }

    [Theory]
    [InlineData("""{ "title": "T" }""", new[] { "$" })]
    [InlineData("""{ "title": "T", "pages": {} }""", new[] { "pages", "$" })]
    [InlineData("""{ "title": "T", "pages": [] }""", new[] { "$" })]
    [InlineData("""{ "title": "T", "pages": [ 1, null, { "elements": 5 } ] }""", new[] { "pages[0]", "pages[1]", "pages[2].elements", "$" })]
    [InlineData("""{ "title": "T", "elements": [ 7, { "name": "a" }, { "type": "text" }, { "type": "gizmo", "name": "g" }, { "type": ["text"], "name": "b" } ] }""",
        new[] { "elements[0]", "elements[1]", "elements[2]", "elements[3]", "elements[4].type", "elements[4]", "$" })]
    [InlineData("""{ "title": "T", "pages": [ { "elements": [ { "type": "text", "name": "a" } ] } ], "elements": [ { "type": "text", "name": "b" } ] }""", new[] { "elements" })]
    public void Structural_problems_are_issues(string json, string[] paths)
    {
        var result = Import(json);
        result.Paths().ShouldBe(paths);
    }

    [Fact]
    public void Values_of_the_wrong_type_are_reported_and_read_as_absent()
    {
        var result = Import("""
            { "title": ["T"], "description": { "default": 5, "zh-cn": {} }, "maxTextLength": "lots",
              "elements": [
                { "type": "text", "name": "a", "isRequired": "sure", "visibleIf": { "x": 1 }, "maxLength": 2.5, "validators": {} },
                { "type": "checkbox", "name": "b", "choices": "a,b" },
                { "type": "text", "name": 12 },
                { "type": "radiogroup", "name": "c", "choices": [ { "value": { "nested": true } }, "ok" ] },
                { "type": "rating", "name": "d", "rateMax": "ten" }
              ] }
            """);
        result.Definition.Questions.Select(q => q.Id).ShouldBe(["a", "q_12", "c"]);
        result.Definition.Questions[0].Required.ShouldBeFalse();
        result.Definition.Title.ShouldBe(En("Untitled survey"));
        result.Definition.Description.ShouldBe(En("5"));
        result.Paths().ShouldBe(
        [
            "title", "title", "description.zh-cn", "maxTextLength", "elements[0].maxLength", "elements[0].isRequired", "elements[0].visibleIf",
            "elements[0].validators", "elements[1].choices", "elements[1]", "elements[2].name", "elements[3].choices[0].value",
            "elements[4].rateMax", "elements[4]",
        ], ignoreOrder: true);
    }

    /// <summary>Every property and item of the realistic fixture replaced, one at a time, by values of every JSON kind: never an exception.</summary>
    [Fact]
    public void Never_throws_for_any_value_anywhere()
    {
        var fixture = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "surveyjs", "after-service-csat.json")))!;
        JsonNode?[] junk = [null, 0, -1, 2.5, 1e300, "", "x", "{", true, false, new JsonArray(), new JsonObject(), new JsonArray(1, "a", null), new JsonObject { ["default"] = 1 }];
        var count = 0;
        foreach (var path in Locations(fixture, []))
            foreach (var value in junk)
            {
                var copy = fixture.DeepClone();
                Replace(copy, path, value?.DeepClone());
                var result = Should.NotThrow(() => SurveyJsImporter.Import(copy), string.Join("/", path));
                result.Definition.ShouldNotBeNull();
                count++;
            }
        count.ShouldBeGreaterThan(1000);
    }

    private static IEnumerable<object[]> Locations(JsonNode? node, object[] path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    object[] here = [.. path, key];
                    yield return here;
                    foreach (var inner in Locations(child, here)) yield return inner;
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    object[] here = [.. path, i];
                    yield return here;
                    foreach (var inner in Locations(array[i], here)) yield return inner;
                }
                break;
        }
    }

    private static void Replace(JsonNode root, object[] path, JsonNode? value)
    {
        var parent = root;
        foreach (var step in path[..^1]) parent = step is int i ? parent[i]! : parent[(string)step]!;
        if (path[^1] is int index) parent.AsArray()[index] = value;
        else parent.AsObject()[(string)path[^1]] = value;
    }
}
