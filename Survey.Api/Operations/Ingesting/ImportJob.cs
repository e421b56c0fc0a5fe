namespace Survey.Api.Operations.Ingesting;

public enum ImportStatus { Running, Completed, Failed }

/// <summary>Progress and report of one CSV import, updated after every batch so any node can show it while the upload runs.</summary>
public sealed record ImportJob(
    Guid Id, ImportStatus Status, long RowsRead, long Accepted, long Duplicates, long Rejected, IReadOnlyList<RejectedItem> Errors,
    DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string? Failure)
{
    /// <summary>Rejected rows listed individually; beyond this only the count grows.</summary>
    public const int MaxListedErrors = 1000;
}
