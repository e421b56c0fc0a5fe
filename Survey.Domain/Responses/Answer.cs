using System.Text.Json;
using System.Text.Json.Serialization;
using Survey.Domain.Questionnaires;

namespace Survey.Domain.Responses;

/// <summary>One answer: a scale point, a chosen value or free text, or several chosen values.</summary>
/// <remarks>Stored without its unset members: every answer save writes its answers twice (the event and the response's document),
/// so each null left out is WAL not written.</remarks>
public sealed record Answer(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Number = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Text = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Choices = null)
{
    /// <summary>The value logic sees: a number, a string or a list of strings (a method, so it is never serialised).</summary>
    public object? ToLogicValue() => Number is { } n ? (decimal)n : Choices is { } c ? c.Cast<object?>().ToList() : Text;

    public bool Equals(Answer? other) =>
        other is not null && Number == other.Number && Text == other.Text
        && (Choices is null ? other.Choices is null : other.Choices is not null && Choices.SequenceEqual(other.Choices));

    public override int GetHashCode() => HashCode.Combine(Number, Text, Choices?.Count);

    /// <summary>
    /// Reads a JSON answer for a question: an integer for scales, a string for single choice and free text,
    /// an array of strings for multiple choice. Null clears the answer. A wrong JSON kind is a problem, never an exception.
    /// </summary>
    public static (Answer? Answer, string? Problem) Read(Question question, JsonElement json)
    {
        if (json.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return (null, null);
        switch (question.Type)
        {
            case var t when QuestionTypes.IsScale(t):
                if (json.ValueKind == JsonValueKind.Number && json.TryGetInt32(out var n)) return (new Answer(Number: n), null);
                return (null, "Choose one point of the scale (a whole number).");
            case QuestionType.SingleChoice:
                if (json.ValueKind == JsonValueKind.String) return (new Answer(Text: json.GetString()), null);
                if (json.ValueKind is JsonValueKind.True or JsonValueKind.False) return (new Answer(Text: json.GetBoolean() ? "true" : "false"), null);
                return (null, "Choose one of the options.");
            case QuestionType.MultipleChoice:
                if (json.ValueKind == JsonValueKind.Array && json.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
                    return (new Answer(Choices: json.EnumerateArray().Select(e => e.GetString()!).ToList()), null);
                return (null, "Choose options from the list.");
            case QuestionType.FreeText:
                if (json.ValueKind == JsonValueKind.String) return (new Answer(Text: json.GetString()), null);
                return (null, "Write your answer as text.");
            default:
                return (null, "This question cannot be answered.");
        }
    }
}
