using System.Text.Json.Serialization;

namespace Survey.Domain.Responses;

public enum ResponseSourceKind { Invitation, Link, Widget }

/// <summary>Where a response came from: an invitation, an open link, or a widget placement on a page.</summary>
/// <param name="VisitorId">A widget visitor's own random id (kept in the browser, no cookie), for recontact limits.</param>
/// <remarks>Unset members are not stored (the response's document is rewritten by every save: see <see cref="Answer"/>).</remarks>
public sealed record ResponseSource(
    ResponseSourceKind Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? InvitationId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? LinkId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PublicKey = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PlacementId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? VisitorId = null)
{
    public string Describe() => Kind switch
    {
        ResponseSourceKind.Invitation => $"invitation {InvitationId}",
        ResponseSourceKind.Link => $"link {LinkId}",
        _ => $"widget {PublicKey}/{PlacementId}",
    };
}

public sealed record ResponseStarted(
    Guid ResponseId, Guid QuestionnaireId, int QuestionnaireVersion, ResponseSource Source, string Channel, string Locale, string? Device, string? PageUrl, DateTimeOffset StartedAt);

/// <param name="Sequence">The client's save number; a save with a number already applied changes nothing.</param>
/// <param name="Answers">Answers set (null clears one).</param>
/// <param name="Cleared">Earlier answers dropped because logic now hides their question.</param>
public sealed record ResponseAnswersSaved(
    Guid ResponseId, int Sequence, IReadOnlyDictionary<string, Answer?> Answers, IReadOnlyList<string> Cleared, DateTimeOffset SavedAt);

public sealed record ResponseCompleted(Guid ResponseId, int Sequence, DateTimeOffset CompletedAt);
public sealed record ResponseAbandoned(Guid ResponseId, DateTimeOffset LastActivityAt, DateTimeOffset AbandonedAt);

public enum ResponseStatus { Started, Completed, Abandoned }

/// <summary>A response's state; <see cref="QuestionnaireVersion"/> is the exact published version answered (not named Version: Marten fills that with the stream version).</summary>
public sealed record Response(
    Guid Id,
    Guid QuestionnaireId,
    int QuestionnaireVersion,
    ResponseSource Source,
    string Channel,
    string Locale,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Device,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PageUrl,
    IReadOnlyDictionary<string, Answer> Answers,
    IReadOnlyDictionary<int, string> Saves,
    ResponseStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset LastActivityAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? CompletedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? CompletedSequence = null)
{
    public int LastSequence => Saves.Count == 0 ? 0 : Saves.Keys.Max();

    public static Response From(ResponseStarted e) =>
        new(e.ResponseId, e.QuestionnaireId, e.QuestionnaireVersion, e.Source, e.Channel, e.Locale, e.Device, e.PageUrl,
            new Dictionary<string, Answer>(), new Dictionary<int, string>(), ResponseStatus.Started, e.StartedAt, e.StartedAt, null);

    public Response With(ResponseAnswersSaved e)
    {
        var answers = new Dictionary<string, Answer>(Answers);
        foreach (var (id, answer) in e.Answers)
            if (answer is null) answers.Remove(id); else answers[id] = answer;
        foreach (var id in e.Cleared) answers.Remove(id);
        var saves = new Dictionary<int, string>(Saves) { [e.Sequence] = SaveFingerprint.Of(e.Answers) };
        // A completed response stays completed; late saves only arrive before completion (the decider refuses them after).
        return this with { Answers = answers, Saves = saves, LastActivityAt = e.SavedAt, Status = Status == ResponseStatus.Abandoned ? ResponseStatus.Started : Status };
    }

    public Response With(ResponseCompleted e) =>
        this with { Status = ResponseStatus.Completed, CompletedAt = e.CompletedAt, LastActivityAt = e.CompletedAt, CompletedSequence = e.Sequence };

    public Response With(ResponseAbandoned e) => this with { Status = ResponseStatus.Abandoned };
}

/// <summary>
/// A short, order-independent hash of a save, used to tell a retry from a different save with a reused number. A hash, so the
/// response state does not grow by every answer text it has seen.
/// </summary>
public static class SaveFingerprint
{
    public static string Of(IReadOnlyDictionary<string, Answer?> answers) =>
        Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            string.Join("|", answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a =>
                $"{a.Key}={a.Value?.Number}/{a.Value?.Text?.Replace("/", "//")}/{(a.Value?.Choices is { } c ? string.Join(",", c.Select(x => x.Replace(",", ",,"))) : "")}")))))[..22];
}
