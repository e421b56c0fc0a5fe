using JasperFx.Events;
using JasperFx.Events.Grouping;
using Marten;
using Marten.Events.Aggregation;
using Survey.Api.Operations;
using Survey.Api.Questionnaires;
using Survey.Api.Respondents.Answering;
using Survey.Domain.Invitations;
using Survey.Domain.Questionnaires;
using Survey.Domain.Responses;

namespace Survey.Api.Analytics.Attribution;

/// <summary>A scale answer under its stable analytics key, with the scale it was asked on (so distributions add up across versions).</summary>
/// <param name="Type">"nps", "csat", "ces" or "rating" (attribute questions, the drivers).</param>
public sealed record KeyedScore(int Value, int Min, int Max, string Type);

/// <summary>
/// X joined to O: one row per response (started, completed or abandoned) with what caused it and the scores metrics need. Ids only,
/// no personal data (no names, contact points or free text): verbatims are read from the response at query time.
/// The dealer's region is NOT copied: it is joined from the dealer document when a query runs, so a dealer moved to another region
/// counts for its new region at once, for all its history. Event attributes are copied when the response starts; a corrected
/// attribute shows after the projection is rebuilt.
/// </summary>
public sealed class ResponseFact
{
    public Guid Id { get; set; }
    /// <summary>"started", "completed" or "abandoned".</summary>
    public string Status { get; set; } = "started";
    public Guid QuestionnaireId { get; set; }
    public int QuestionnaireVersion { get; set; }
    /// <summary>"invitation", "link" or "widget".</summary>
    public string SourceKind { get; set; } = "";
    public string Channel { get; set; } = "";
    public Guid? InvitationId { get; set; }
    public Guid? TriggerId { get; set; }
    public string? EventExternalId { get; set; }
    /// <summary>The operational event's type, e.g. "service.completed".</summary>
    public string? Touchpoint { get; set; }
    public DateTimeOffset? EventOccurredAt { get; set; }
    public string? CustomerExternalId { get; set; }
    public string? DealerCode { get; set; }
    public Dictionary<string, string> EventAttributes { get; set; } = [];
    public string? LinkId { get; set; }
    public string? WidgetKey { get; set; }
    public string? PlacementId { get; set; }
    public string? PageUrl { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    /// <summary>The first NPS, CSAT and CES question's answer.</summary>
    public int? Nps { get; set; }
    public int? Csat { get; set; }
    public int? Ces { get; set; }
    /// <summary>Every scale answer (NPS, CSAT, CES, rating) by analytics key.</summary>
    public Dictionary<string, KeyedScore> Scores { get; set; } = [];
    /// <summary>
    /// The same answers as typed text for the aggregate queries, one "value|min|max|type|key" each (the key last: it may hold any
    /// character): a text[] column that SQL unnests far more cheaply than expanding <see cref="Scores"/> from the JSON. Derived, not stored
    /// in the JSON. The aggregate queries read only this column (it is in the covering index), so facts written before it existed need a
    /// rebuild of the ResponseFact projection before their keyed questions count.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string[] ScorePoints => Scores.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => ScorePoint.Format(s.Key, s.Value)).ToArray();
    /// <summary>Whether a free-text answer was given (the text itself stays in the response).</summary>
    public bool HasVerbatim { get; set; }
    public long Version { get; set; }
}

/// <summary>The text form of one keyed score in <see cref="ResponseFact.ScorePoints"/>.</summary>
public static class ScorePoint
{
    public static string Format(string key, KeyedScore score) => $"{score.Value}|{score.Min}|{score.Max}|{score.Type}|{key}";

    public static (string Key, KeyedScore Score)? Parse(string text)
    {
        var parts = text.Split('|', 5);
        return parts.Length == 5 && int.TryParse(parts[0], out var value) && int.TryParse(parts[1], out var min) && int.TryParse(parts[2], out var max)
            ? (parts[4], new KeyedScore(value, min, max, parts[3]))
            : null;
    }

    /// <summary>A LIKE pattern matching the points of one key (and, harmlessly, of keys ending in "|" + key).</summary>
    public static string LikePattern(string key) => "%|" + key.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}

/// <summary>What enrichment adds to a response's start: its invitation and the operational event behind it.</summary>
public sealed record ResponseStartAttributed(ResponseStarted Started, Invitation? Invitation, OperationalEventRecord? Event);

/// <summary>A save with its answers mapped to analytics keys through the exact version answered.</summary>
public sealed record ResponseScoresSaved(Guid ResponseId, IReadOnlyDictionary<string, KeyedScore?> Scores, string? NpsKey, string? CsatKey, string? CesKey, IReadOnlyList<string> ClearedKeys, bool? HasVerbatim = null);

/// <summary>
/// Async: runs in the daemon, away from the respondent's save path. Each page of events is enriched with one batched load of the
/// invitations, operational events and published versions it needs (Marten's EnrichEventsAsync), then applied.
/// </summary>
public sealed partial class ResponseFactProjection : SingleStreamProjection<ResponseFact, Guid>
{
    public ResponseFactProjection()
    {
        foreach (var type in Respondents.Responses.ResponseProjection.Events) IncludeType(type);
        IncludeType<ResponseStartAttributed>();
        IncludeType<ResponseScoresSaved>();
        // pages of 2,000 events instead of the daemon's default: per page, one enrichment load of each kind, one load of the existing
        // facts and one write batch, so bigger pages mean fewer round trips per event on catch-up and rebuild (bench/analytics)
        Options.BatchSize = 2_000;
        Options.MaximumHopperSize = 8_000;
    }

    public override async Task EnrichEventsAsync(SliceGroup<ResponseFact, Guid> group, IQuerySession querySession, CancellationToken cancellation)
    {
        var slices = group.Slices.ToList();
        if (slices.Count == 0) return;
        await using var session = querySession.DocumentStore.QuerySession(group.TenantId);

        var starts = slices.SelectMany(s => s.Events()).Select(e => e.Data).OfType<ResponseStarted>().ToList();
        var invitationIds = starts.Select(s => s.Source.InvitationId).OfType<Guid>().Distinct().ToArray();
        var invitations = invitationIds.Length == 0 ? new Dictionary<Guid, Invitation>()
            : (await session.LoadManyAsync<Invitation>(cancellation, invitationIds)).ToDictionary(i => i.Id);
        var eventIds = invitations.Values.Select(i => i.EventExternalId).OfType<string>().Distinct().ToArray();
        var events = eventIds.Length == 0 ? new Dictionary<string, OperationalEventRecord>()
            : (await session.LoadManyAsync<OperationalEventRecord>(cancellation, eventIds)).ToDictionary(e => e.Id);

        // the version each response answered: from its start in this page, or from the response document
        var versions = starts.ToDictionary(s => s.ResponseId, s => (s.QuestionnaireId, s.QuestionnaireVersion));
        var needing = slices.Where(s => !versions.ContainsKey(s.Id) && s.Events().Any(e => e.Data is ResponseAnswersSaved)).Select(s => s.Id).ToArray();
        if (needing.Length > 0)
            foreach (var response in await session.LoadManyAsync<Response>(cancellation, needing))
                versions[response.Id] = (response.QuestionnaireId, response.QuestionnaireVersion);
        var definitions = new Dictionary<(Guid, int), QuestionnaireDefinition>();
        foreach (var key in versions.Values.Distinct())
            definitions[key] = (await PublicSources.Version(session, key.Item1, key.Item2, cancellation)).Definition;

        foreach (var slice in slices)
        {
            foreach (var e in slice.Events().ToList())
            {
                switch (e.Data)
                {
                    case ResponseStarted started:
                        var invitation = started.Source.InvitationId is { } id ? invitations.GetValueOrDefault(id) : null;
                        var @event = invitation?.EventExternalId is { } eid ? events.GetValueOrDefault(eid) : null;
                        slice.ReplaceEvent(e, new ResponseStartAttributed(started, invitation, @event));
                        break;
                    case ResponseAnswersSaved saved when versions.TryGetValue(slice.Id, out var version):
                        slice.ReplaceEvent(e, ScoreKeys.Map(saved, definitions[version]));
                        break;
                }
            }
        }
    }

    public override ResponseFact? Evolve(ResponseFact? snapshot, Guid id, IEvent e)
    {
        switch (e.Data)
        {
            case ResponseStartAttributed a:
                var s = a.Started;
                var fact = snapshot ?? new ResponseFact();
                fact.Id = s.ResponseId;
                fact.QuestionnaireId = s.QuestionnaireId;
                fact.QuestionnaireVersion = s.QuestionnaireVersion;
                fact.SourceKind = s.Source.Kind.ToString().ToLowerInvariant();
                fact.Channel = a.Invitation?.SentChannel ?? s.Channel;
                fact.InvitationId = s.Source.InvitationId;
                fact.LinkId = s.Source.LinkId;
                fact.WidgetKey = s.Source.PublicKey;
                fact.PlacementId = s.Source.PlacementId;
                fact.PageUrl = s.PageUrl;
                fact.StartedAt = s.StartedAt;
                fact.TriggerId = a.Invitation?.TriggerId;
                fact.CustomerExternalId = a.Invitation?.CustomerExternalId;
                fact.EventExternalId = a.Invitation?.EventExternalId;
                fact.DealerCode = a.Invitation?.DealerCode ?? a.Event?.Event.DealerCode;
                fact.Touchpoint = a.Event?.Event.Type;
                fact.EventOccurredAt = a.Event?.Event.OccurredAt;
                fact.EventAttributes = a.Event?.Event.Attributes.ToDictionary() ?? [];
                return fact;
            case ResponseScoresSaved saved when snapshot is not null:
                if (snapshot.Status == "abandoned") snapshot.Status = "started";
                foreach (var key in saved.ClearedKeys) snapshot.Scores.Remove(key);
                foreach (var (key, score) in saved.Scores)
                    if (score is null) snapshot.Scores.Remove(key); else snapshot.Scores[key] = score;
                snapshot.Nps = saved.NpsKey is { } n ? snapshot.Scores.GetValueOrDefault(n)?.Value : snapshot.Nps;
                snapshot.Csat = saved.CsatKey is { } c ? snapshot.Scores.GetValueOrDefault(c)?.Value : snapshot.Csat;
                snapshot.Ces = saved.CesKey is { } x ? snapshot.Scores.GetValueOrDefault(x)?.Value : snapshot.Ces;
                snapshot.HasVerbatim = saved.HasVerbatim ?? snapshot.HasVerbatim;
                return snapshot;
            case ResponseCompleted completed when snapshot is not null:
                snapshot.Status = "completed";
                snapshot.CompletedAt = completed.CompletedAt;
                return snapshot;
            case ResponseAbandoned when snapshot is not null:
                if (snapshot.Status != "completed") snapshot.Status = "abandoned";
                return snapshot;
            default:
                return snapshot;
        }
    }
}

/// <summary>Maps answers by question id to analytics keys, for the exact questionnaire version answered.</summary>
public static class ScoreKeys
{
    public static ResponseScoresSaved Map(ResponseAnswersSaved saved, QuestionnaireDefinition definition)
    {
        var scales = definition.Questions.Where(q => QuestionTypes.IsScale(q.Type)).ToDictionary(q => q.Id);
        var scores = new Dictionary<string, KeyedScore?>();
        foreach (var (questionId, answer) in saved.Answers)
            if (scales.TryGetValue(questionId, out var q))
            {
                var (min, max) = QuestionTypes.Scale(q);
                scores[q.AnalyticsKey] = answer?.Number is { } n ? new KeyedScore(n, min, max, q.Type.ToString().ToLowerInvariant()) : null;
            }
        var cleared = saved.Cleared.Where(scales.ContainsKey).Select(id => scales[id].AnalyticsKey).ToList();
        string? First(QuestionType type) => scales.Values.FirstOrDefault(q => q.Type == type)?.AnalyticsKey;
        var texts = saved.Answers.Where(a => definition.Find(a.Key)?.Type == QuestionType.FreeText).ToList();
        bool? hasVerbatim = texts.Count == 0 ? null : texts.Any(a => !string.IsNullOrWhiteSpace(a.Value?.Text));
        return new ResponseScoresSaved(saved.ResponseId, scores, First(QuestionType.Nps), First(QuestionType.Csat), First(QuestionType.Ces), cleared, hasVerbatim);
    }
}
