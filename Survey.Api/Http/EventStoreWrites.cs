using Survey.Domain.Common;
using Marten;

namespace Survey.Api.Http;

/// <summary>
/// Every write: fetch the stream for writing at the version the client expects, decide, append, commit.
/// Marten checks the version again at commit, so two concurrent writers cannot both win.
/// </summary>
public static class EventStoreWrites
{
    public static async Task<(TState State, long Version)> Decide<TState>(
        this IDocumentSession session, Guid streamId, long? expectedVersion,
        Func<TState?, object[]> decide, Func<TState?, object, TState> evolve, CancellationToken ct) where TState : class
    {
        // no stream has the empty id (Marten refuses it outright): it is an unknown id like any other
        if (streamId == Guid.Empty) throw new NotFoundException($"Nothing has the id {streamId}.");
        var stream = expectedVersion is { } expected
            ? await session.Events.FetchForWriting<TState>(streamId, expected, ct)
            : await session.Events.FetchForWriting<TState>(streamId, ct);
        var events = decide(stream.Aggregate);
        stream.AppendMany(events);
        await session.SaveChangesAsync(ct);
        var state = events.Aggregate(stream.Aggregate, (s, e) => evolve(s, e))!;
        return (state, (stream.StartingVersion ?? 0) + events.Length);
    }
}
