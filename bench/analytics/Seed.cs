using JasperFx;
using JasperFx.Events;
using JasperFx.MultiTenancy;
using Marten;
using Survey.Api.Analytics;
using Survey.Api.Operations;
using Survey.Api.Questionnaires;
using Survey.Api.Respondents;
using Survey.Api.Triggers;
using Survey.Domain.Invitations;
using Survey.Domain.Operations;
using Survey.Domain.Questionnaires;
using Survey.Domain.Responses;
using Weasel.Core;

namespace AnalyticsBench;

/// <summary>
/// A synthetic company written straight into the store the API uses (same Marten configuration as StorageSetup): regions, dealers and
/// the published questionnaire as documents; operational events and invitations with Marten's bulk insert (COPY); responses as real
/// event streams (started, answers saved, completed) appended 1,000 streams per transaction, so the inline Response documents exist
/// and the async analytics projection has real events to catch up on. Invitations are written as their projected documents, not as
/// invitation events: the analytics projection only reads the documents.
/// </summary>
public static class Seed
{
    public const string Tenant = "default";
    public static readonly Guid QuestionnaireId = Guid.Parse("0195f000-0000-7000-8000-00000000a001");
    public static readonly Guid TriggerId = Guid.Parse("0195f000-0000-7000-8000-00000000a002");
    public static readonly DateTimeOffset Start = new(2025, 11, 30, 16, 0, 0, TimeSpan.Zero); // 2025-12-01 00:00 in Shanghai
    private static readonly string[] Attributes = ["lounge", "advisor", "repair", "price"];
    private static readonly string[] Types = ["service.completed", "vehicle.delivered", "order.paid"];
    private static readonly string[] Models = ["A4L", "A6L", "Q3", "Q5L", "e-tron"];

    public static DocumentStore Store(string connectionString) => DocumentStore.For(marten =>
    {
        marten.Connection(connectionString);
        marten.DatabaseSchemaName = "survey";
        marten.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        marten.Events.TenancyStyle = TenancyStyle.Conjoined;
        marten.Events.StreamIdentity = StreamIdentity.AsGuid;
        marten.Policies.AllDocumentsAreMultiTenanted();
        marten.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        QuestionnaireStore.Configure(marten);
        RespondentSetup.ConfigureStore(marten);
        OperationsStore.Configure(marten);
        TriggerStore.Configure(marten);
        AnalyticsSetup.ConfigureStore(marten);
    });

    public static async Task Run(DocumentStore store, int dealers, int regions, int events, int responses, Action<string> log)
    {
        var random = new Random(20261130);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var quality = Enumerable.Range(0, dealers).Select(_ => random.NextDouble()).ToArray();

        var regionDocs = Enumerable.Range(1, regions).Select(r => new RegionRecord($"R{r:00}", new Region($"R{r:00}", new LocalizedName($"区{r}", $"Region {r}"), []), Start)).ToList();
        var dealerDocs = Enumerable.Range(0, dealers).Select(d => new DealerRecord(DealerCode(d),
            new Dealer(DealerCode(d), new LocalizedName($"店{d}", $"Dealer {d}"), $"R{d % regions + 1:00}", "Asia/Shanghai", null, []), Start)).ToList();
        await store.BulkInsertAsync(Tenant, regionDocs, BulkInsertMode.InsertsOnly);
        await store.BulkInsertAsync(Tenant, dealerDocs, BulkInsertMode.InsertsOnly);

        var definition = new QuestionnaireDefinition(LocalizedText.Of("en", "After-service survey"), null, "en", ["en"],
        [
            new Question("nps", QuestionType.Nps, LocalizedText.Of("en", "Recommend?"), Required: true),
            .. Attributes.Select(a => new Question(a, QuestionType.Rating, LocalizedText.Of("en", a), ScaleMin: 1, ScaleMax: 5)),
            new Question("comment", QuestionType.FreeText, LocalizedText.Of("en", "Anything else?")),
        ]);
        await store.BulkInsertAsync(Tenant, new[] { new PublishedQuestionnaire(PublishedQuestionnaire.IdFor(QuestionnaireId, 1), QuestionnaireId, 1, definition, Start) }, BulkInsertMode.InsertsOnly);

        // every event: a dealer, a moment in the 12 months; 40% of events get an invitation; the first `responses` invitations are answered
        var year = TimeSpan.FromDays(365).Ticks;
        var invitationEvery = Math.Max(1, events * 2 / 5);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var batch = new List<OperationalEventRecord>(10_000);
        var invitations = new List<Invitation>(10_000);
        var answered = new List<(Invitation Invitation, int Dealer)>();
        var invited = 0;
        for (var k = 0; k < events; k++)
        {
            var dealer = random.Next(dealers);
            var at = Start.AddTicks((long)(random.NextDouble() * year));
            var e = new OperationalEvent($"EV{k}", Types[k % Types.Length], at, $"C{k}", DealerCode(dealer),
                new Dictionary<string, string> { ["vehicleModel"] = Models[random.Next(Models.Length)], ["advisor"] = $"A{random.Next(20)}" });
            batch.Add(new OperationalEventRecord(e.ExternalId, e, "bench", at));
            if (k % 5 < 2 && invited < invitationEvery)
            {
                invited++;
                var id = Guid.CreateVersion7();
                var due = at.AddHours(1);
                var answers = answered.Count < responses;
                var invitation = new Invitation(id, QuestionnaireId, 1, "sms", due.AddDays(14), answers ? Guid.CreateVersion7() : null, at)
                {
                    Status = answers ? InvitationStatus.Responded : InvitationStatus.Sent, ChannelOrder = ["sms"], SentChannel = "sms", DueAt = due,
                    CustomerExternalId = e.CustomerExternalId, EventExternalId = e.ExternalId, DealerCode = e.DealerCode, TriggerId = TriggerId,
                    Timeline = [new(at, "scheduled", null, null), new(due, "sent", "sms", null), .. answers ? new[] { new TimelineEntry(due.AddHours(2), "responded", null, null) } : []],
                };
                invitations.Add(invitation);
                if (answers) answered.Add((invitation, dealer));
            }
            if (batch.Count == 10_000) { await store.BulkInsertAsync(Tenant, batch, BulkInsertMode.InsertsOnly); batch.Clear(); }
            if (invitations.Count == 10_000) { await store.BulkInsertAsync(Tenant, invitations, BulkInsertMode.InsertsOnly); invitations.Clear(); }
        }
        await store.BulkInsertAsync(Tenant, batch, BulkInsertMode.InsertsOnly);
        await store.BulkInsertAsync(Tenant, invitations, BulkInsertMode.InsertsOnly);
        log($"seeded {events:N0} operational events and {invited:N0} invitations by COPY in {clock.Elapsed.TotalSeconds:N1} s");

        clock.Restart();
        // two writers, 1,000 streams per transaction each (the answers are drawn up front so the seed stays deterministic)
        var streams = answered.Select(x =>
        {
            var (invitation, dealer) = x;
            int Score(int lo, int hi) => Math.Clamp((int)Math.Round(lo + (hi - lo) * (0.5 * quality[dealer] + 0.5 * random.NextDouble())), lo, hi);
            var answers = new Dictionary<string, Answer?> { ["nps"] = new Answer(Number: Score(0, 10)) };
            foreach (var a in Attributes) answers[a] = new Answer(Number: Score(1, 5));
            if (random.Next(5) == 0) answers["comment"] = new Answer(Text: "The waiting area was crowded and nobody told me when the car would be ready.");
            return (Invitation: invitation, Answers: answers);
        }).ToList();
        await Parallel.ForEachAsync(streams.Chunk(1_000), new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (chunk, ct) =>
        {
            await using var session = store.LightweightSession(Tenant);
            foreach (var (invitation, answers) in chunk)
            {
                var id = invitation.RespondedBy!.Value;
                var started = invitation.DueAt!.Value.AddHours(2);
                session.Events.StartStream<Response>(id,
                    new ResponseStarted(id, QuestionnaireId, 1, new ResponseSource(ResponseSourceKind.Invitation, invitation.Id), "sms", "en", "mobile", null, started),
                    new ResponseAnswersSaved(id, 1, answers, [], started.AddMinutes(2)),
                    new ResponseCompleted(id, 1, started.AddMinutes(3)));
            }
            await session.SaveChangesAsync(ct);
        });
        log($"appended {answered.Count:N0} response streams ({answered.Count * 3:N0} events, inline Response documents) in {clock.Elapsed.TotalSeconds:N1} s");
    }

    public static string DealerCode(int d) => $"D{d:0000}";
}
