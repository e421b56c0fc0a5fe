using System.Security.Cryptography;
using System.Text;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using Survey.Api.Channels;
using Survey.Api.Operations;
using Survey.Api.Privacy;
using Survey.Api.Reports.Data;
using Survey.Domain.Analytics.Periods;
using Survey.Domain.Privacy;

namespace Survey.Api.Reports.Delivering;

/// <summary>What became of one recipient in a delivery run (no address: the recipient is its keyed hash).</summary>
public sealed record DeliveryOutcome(string Region, string Recipient, string Language, string Outcome, string? FileSha256, string? MessageId, string? Error);

public sealed record DeliveryRun(string Period, bool Forced, IReadOnlyList<DeliveryOutcome> Recipients);

/// <summary>
/// Report delivery for one tenant: the recurring Hangfire job (<see cref="JobId"/>, argument: the tenant id only) computes the
/// period that just ended in the tenant's calendar; an administrator can run any period again (<c>force</c> sends to those who
/// already have it). Recipients are each region's manager contacts; each gets the region report in their language.
/// Each send is recorded before the SMTP conversation (attempt) and after it (outcome), under a unique key per period, region and
/// recipient: a re-run skips what was sent, and an attempt found without outcome (the process died mid-send) is not sent again
/// unless forced. One run per tenant and period at a time (a PostgreSQL advisory lock), across nodes.
/// </summary>
public sealed class ReportDeliveryJob(IDocumentStore store, NpgsqlDataSource database, ReportDataSource data, ReportRenderer renderer, ReportMailer mailer,
    PersonalDataVault vault, IOptions<Respondents.RespondentOptions> respondents, TimeProvider time, ILogger<ReportDeliveryJob> logger)
{
    public static string JobId(string tenant) => $"reports:deliver:{tenant}";

    /// <summary>The recurring job: the period of the tenant's kind that ended before now, in its calendar.</summary>
    public async Task RunScheduled(string tenant, CancellationToken ct)
    {
        ReportSettings settings;
        await using (var session = store.QuerySession(tenant)) settings = await ReportSettings.Load(session, ct);
        if (!settings.Enabled) return;
        var calendar = await data.Calendar(tenant, ct);
        var period = calendar.PeriodOf(time.GetUtcNow(), settings.PeriodKind).Previous();
        await Deliver(tenant, period, force: false, ct);
    }

    public async Task<DeliveryRun> Deliver(string tenant, Period period, bool force, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var lockKey = BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"reports|{tenant}|{period.Label}")), 0);
        if (!await Lock(connection, "pg_try_advisory_lock", lockKey, ct))
            throw new Domain.Common.RuleViolationException("delivery-running", $"A delivery of {period.Label} is running already; try again when it has finished.");
        try { return new DeliveryRun(period.Label, force, await DeliverLocked(tenant, period, force, ct)); }
        finally { await Lock(connection, "pg_advisory_unlock", lockKey, CancellationToken.None); }
    }

    private async Task<List<DeliveryOutcome>> DeliverLocked(string tenant, Period period, bool force, CancellationToken ct)
    {
        List<RegionRecord> regions;
        ReportSettings settings;
        await using (var session = store.QuerySession(tenant))
        {
            regions = (await session.Query<RegionRecord>().ToListAsync(ct)).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
            settings = await ReportSettings.Load(session, ct);
        }
        var indexKey = vault.Keys.IndexKey(tenant);
        var outcomes = new List<DeliveryOutcome>();
        foreach (var region in regions.Where(r => r.Region.Managers.Count > 0))
        {
            var rendered = new Dictionary<ReportLanguage, (RegionReport Report, byte[] Pdf, int Pages, string Sha)>();
            foreach (var manager in region.Region.Managers)
            {
                var recipient = BlindIndex.Email(indexKey, manager.Email);
                var language = ReportRenderer.ParseLanguage(manager.Language ?? settings.Language);
                try
                {
                    outcomes.Add(await SendOne(tenant, period, force, region.Id, recipient, manager, language, settings, rendered, ct));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError("Report of {Period} for region {Region} to recipient {Recipient} (tenant {Tenant}) failed: {Error}",
                        period.Label, region.Id, recipient, tenant, e.GetType().Name);
                    outcomes.Add(new DeliveryOutcome(region.Id, recipient, Lang(language), "error", null, null, e.GetType().Name));
                }
            }
        }
        return outcomes;
    }

    private async Task<DeliveryOutcome> SendOne(string tenant, Period period, bool force, string region, string recipient, Domain.Operations.ManagerContact manager,
        ReportLanguage language, ReportSettings settings, Dictionary<ReportLanguage, (RegionReport Report, byte[] Pdf, int Pages, string Sha)> rendered, CancellationToken ct)
    {
        var key = ReportSend.KeyOf(period.Label, region, recipient);
        await using var session = store.LightweightSession(tenant);
        var existing = await session.LoadAsync<ReportSend>(key, ct);
        if (ReportSend.WhyNot(existing, force) is { } why)
        {
            if (why == SendOutcomes.Uncertain && existing!.Last.Outcome is null)
            {
                // found mid-send: the message may have gone out; say so and leave it to an administrator (force) to resend
                session.Store(existing with { Attempts = [.. existing.Attempts.SkipLast(1), existing.Last with { Outcome = SendOutcomes.Uncertain, Error = "no outcome recorded" }] });
                await session.SaveChangesAsync(ct);
            }
            return new DeliveryOutcome(region, recipient, Lang(language), why, existing!.Last.FileSha256, existing.Last.MessageId, null);
        }

        if (!rendered.TryGetValue(language, out var file))
        {
            var report = await data.Region(ReportViewers.RegionalManager(tenant, region), region, period, language, ct);
            using var pdf = new MemoryStream();
            var result = renderer.RenderRegionReport(report, language, pdf);
            var bytes = pdf.ToArray();
            rendered[language] = file = (report, bytes, result.PageCount, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }

        var number = (existing?.Attempts.Count ?? 0) + 1;
        var id = ReportSend.MessageGuid(tenant, key, number);
        var messageId = mailer.MessageId(id);
        var attempt = new ReportSendAttempt(number, time.GetUtcNow(), force, file.Sha, file.Pages, messageId);
        var send = existing is null
            ? new ReportSend(key, tenant, period.Label, region, recipient, Lang(language), [attempt])
            : existing with { Language = Lang(language), Attempts = [.. existing.Attempts, attempt] };
        // the attempt is durable before the SMTP conversation starts
        if (existing is null) session.Insert(send); else session.Store(send);
        try { await session.SaveChangesAsync(ct); }
        catch (JasperFx.DocumentAlreadyExistsException) { return new DeliveryOutcome(region, recipient, Lang(language), "already-sent", null, null, null); }

        var console = settings.ConsoleUrl ?? respondents.Value.PublicBaseUrl ?? "http://127.0.0.1:5080";
        var fileName = $"{Safe(settings.Brand ?? tenant)}-{region}-{period.Label}-{Lang(language)}.pdf";
        var mime = ReportEmail.Compose(file.Report, language, manager.Name, manager.Email, file.Pdf, fileName, messageId,
            $"{console.TrimEnd('/')}/#/reports/regions/{Uri.EscapeDataString(region)}?period={period.Label}", mailer.Settings, time.GetUtcNow());
        var sent = await mailer.Send(mime, id, ct);
        var outcome = sent.Outcome switch
        {
            SendOutcome.Accepted => SendOutcomes.Sent,
            SendOutcome.PermanentFailure => SendOutcomes.Failed,
            SendOutcome.Uncertain => SendOutcomes.Uncertain,
            _ => SendOutcomes.Retry,
        };
        session.Store(send with { Attempts = [.. send.Attempts.SkipLast(1), attempt with { Outcome = outcome, SentAt = outcome == SendOutcomes.Sent ? time.GetUtcNow() : null, Error = sent.Error }] });
        await session.SaveChangesAsync(CancellationToken.None);
        logger.LogInformation("Report of {Period} for region {Region} to recipient {Recipient} (tenant {Tenant}): {Outcome} {Error}",
            period.Label, region, recipient, tenant, outcome, sent.Error);
        return new DeliveryOutcome(region, recipient, Lang(language), outcome, file.Sha, messageId, sent.Error);
    }

    private static string Lang(ReportLanguage language) => language == ReportLanguage.ZhCn ? "zh-CN" : "en";

    private static string Safe(string s) => new(s.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());

    private static async Task<bool> Lock(NpgsqlConnection connection, string function, long key, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select {function}(@key)", connection);
        command.Parameters.AddWithValue("key", key);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }
}
