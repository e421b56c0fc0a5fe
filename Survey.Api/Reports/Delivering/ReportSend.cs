using System.Security.Cryptography;
using System.Text;

namespace Survey.Api.Reports.Delivering;

/// <summary>One attempt to e-mail a report: recorded before the SMTP conversation, its outcome after.</summary>
/// <param name="Outcome">null while the attempt is under way (or when the process died during it); then sent, failed, retry, uncertain.</param>
public sealed record ReportSendAttempt(int Number, DateTimeOffset AttemptedAt, bool Forced, string FileSha256, int Pages, string MessageId,
    string? Outcome = null, DateTimeOffset? SentAt = null, string? Error = null);

/// <summary>
/// A region report e-mailed to one recipient for one period; its id (<see cref="KeyOf"/>) is the unique key (tenant, period,
/// region, recipient), so a period is sent once per recipient however often the job runs. The recipient is a keyed hash of the
/// e-mail address (the privacy feature's blind index), never the address.
/// </summary>
public sealed record ReportSend(string Id, string Tenant, string Period, string RegionCode, string Recipient, string Language, IReadOnlyList<ReportSendAttempt> Attempts)
{
    public ReportSendAttempt Last => Attempts[^1];

    public static string KeyOf(string period, string region, string recipient) => $"{period}/{region}/{recipient}";

    /// <summary>What to do for this recipient now: send, or why not.</summary>
    public static string? WhyNot(ReportSend? existing, bool force) => existing?.Last.Outcome switch
    {
        _ when existing is null || force => null,
        SendOutcomes.Sent => "already-sent",
        // an attempt without outcome: the process stopped during it; the message may be in the mailbox already
        null or SendOutcomes.Uncertain => SendOutcomes.Uncertain,
        SendOutcomes.Failed => SendOutcomes.Failed,
        _ => null, // a transient failure is tried again
    };

    /// <summary>A Message-ID per attempt, from the key: the same attempt always carries the same one.</summary>
    public static Guid MessageGuid(string tenant, string key, int attempt) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"report|{tenant}|{key}|{attempt}"))[..16]);
}

public static class SendOutcomes
{
    public const string Sent = "sent", Failed = "failed", Retry = "retry", Uncertain = "uncertain";
}
