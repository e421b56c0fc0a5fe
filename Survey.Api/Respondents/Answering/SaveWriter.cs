using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Marten;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Survey.Api.Http;
using Survey.Api.Privacy;
using Survey.Domain.Responses;

namespace Survey.Api.Respondents.Answering;

/// <summary>
/// Group commit of answer saves on this node: the saves that arrive while a transaction is being written wait in a queue and
/// are then decided and committed together in ONE transaction, so a busy node pays one round trip for loading (none for the
/// responses whose last committed state it holds), one for appending (<see cref="SaveBatchSql"/>: three set-based statements
/// for the whole batch) and one COMMIT (one WAL flush) per batch instead of per save.
/// <para>
/// Each request waits for its own save: it is answered 2xx only after the transaction holding its event committed (nothing is
/// acknowledged from memory; the queue holds requests still waiting for their answer, never accepted work). A save the
/// decider refuses (bad input, completed, reused number) is answered at once and leaves the batch; a retry of a save already
/// applied is answered from the committed state. When the batch's transaction fails (a stream changed by another node, the
/// database gone), every save still waiting is written again alone, so one bad save never fails the others, and a save whose
/// batch did commit before the connection broke finds its event and changes nothing (saves are idempotent).
/// Two saves of one response never share a batch: the later one waits for the next.
/// </para>
/// Completions are not batched (AnsweringEndpoints.Complete): they change the invitation and open cases in their transaction.
/// </summary>
public sealed class SaveWriter : IAsyncDisposable
{
    private readonly Channel<PendingSave> _queue = Channel.CreateUnbounded<PendingSave>();
    private readonly IDocumentStore _store;
    private readonly PersonalDataVault _vault;
    private readonly TimeProvider _time;
    private readonly ILogger<SaveWriter> _logger;
    private readonly int _maxBatch;
    private readonly Task[] _writers;
    private readonly SaveBatchSql _sql;
    /// <summary>
    /// The last committed state of the responses this node saved, so a save of the next page reads nothing. Never trusted for
    /// more than deciding: the batch writes only where the stream version and the document's write time are still the ones
    /// it was decided on, which catches any change made elsewhere (another node, a completion, the abandonment job, an erasure
    /// scrubbing the document); such a batch rolls back and its saves are written again alone from the database. A retry of a
    /// save this state holds is answered from it: it was committed.
    /// </summary>
    private readonly MemoryCache _states = new(new MemoryCacheOptions { SizeLimit = 20_000 });
    private static readonly MemoryCacheEntryOptions StateEntry = new() { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) };

    /// <summary>The key of the connection pool the writers use (StorageSetup): Marten's database, generic plans only.</summary>
    public const string DataSourceKey = "answer-saves";
    private readonly Npgsql.NpgsqlDataSource _database;

    /// <summary>The writer's instruments (<see cref="MeterName"/>): what an operator watches to see batching and the per-node state work.</summary>
    public const string MeterName = "Survey.Saves";
    private readonly Counter<long> _committed, _loaded, _alone;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _queueWait, _batchTime, _appendTime;

    public SaveWriter(IDocumentStore store, [FromKeyedServices(DataSourceKey)] Npgsql.NpgsqlDataSource database, PersonalDataVault vault, TimeProvider time,
        IOptions<RespondentOptions> options, ILogger<SaveWriter> logger, IMeterFactory meters)
    {
        (_store, _database, _vault, _time, _logger) = (store, database, vault, time, logger);
        var meter = meters.Create(MeterName);
        _committed = meter.CreateCounter<long>("survey.saves.committed", "{save}", "Saves committed by this node's batches");
        _loaded = meter.CreateCounter<long>("survey.saves.states_loaded", "{response}", "Response states a batch read from the database (not held by this node)");
        _alone = meter.CreateCounter<long>("survey.saves.written_alone", "{save}", "Saves written again one by one after their batch failed (another node wrote, or the database failed)");
        _batchSize = meter.CreateHistogram<int>("survey.saves.batch_size", "{save}", "Saves per committed batch transaction");
        _queueWait = meter.CreateHistogram<double>("survey.saves.queue_wait", "ms", "Time a save waited on this node for its batch to begin");
        _batchTime = meter.CreateHistogram<double>("survey.saves.batch_duration", "ms", "Time a batch took: load, decisions, and (when any save in it was new) the append and commit");
        _appendTime = meter.CreateHistogram<double>("survey.saves.append_duration", "ms", "The batch's append round trip: its statement and its commit (the WAL flush)");
        _sql = new SaveBatchSql(store);
        _maxBatch = Math.Max(1, options.Value.SaveBatchSize);
        // the writers belong to the node, not to the request that happened to create this singleton (its HttpContext, tenant)
        using (ExecutionContext.SuppressFlow())
            _writers = Enumerable.Range(0, Math.Max(1, options.Value.SaveWriters)).Select(_ => Task.Run(Write)).ToArray();
    }

    /// <summary>Completes when the save is committed (or was already); fails with the request's problem otherwise.</summary>
    public Task<SaveResult> Save(string tenantId, Guid responseId, SaveRequest request)
    {
        var pending = new PendingSave(tenantId, responseId, request);
        if (!_queue.Writer.TryWrite(pending)) throw new ProviderUnavailableException("The service is shutting down.", TimeSpan.FromSeconds(2));
        return pending.Done.Task;
    }

    /// <summary>
    /// A response this node just started (its transaction committed at <see cref="StoredResponse.DocumentWritten"/>): held like
    /// the state a save left, so its first save reads nothing. Checked like any held state when the batch writes.
    /// </summary>
    public void Started(string tenantId, Guid responseId, StoredResponse started)
    {
        try
        {
            // (a state already held is a save's, newer than any start)
            if (!_states.TryGetValue((tenantId, responseId), out _)) _states.Set((tenantId, responseId), started, StateEntry);
        }
        catch (ObjectDisposedException) { } // the node is stopping; the start is committed, its first save will read it
    }

    /// <summary>Saves queued for the next transaction on this node.</summary>
    public int Waiting => _queue.Reader.Count;

    private async Task Write()
    {
        var later = new List<PendingSave>();
        while (later.Count > 0 || await _queue.Reader.WaitToReadAsync())
        {
            var batch = later;
            later = [];
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var next)) batch.Add(next);
            foreach (var tenant in batch.GroupBy(s => s.TenantId))
            {
                var responses = new HashSet<Guid>();
                var together = new List<PendingSave>();
                foreach (var save in tenant)
                    (responses.Add(save.ResponseId) ? together : later).Add(save);
                await Commit(tenant.Key, together);
            }
        }
    }

    private async Task Commit(string tenantId, List<PendingSave> saves)
    {
        var began = Stopwatch.GetTimestamp();
        if (_queueWait.Enabled)
            foreach (var save in saves) _queueWait.Record(Stopwatch.GetElapsedTime(save.Enqueued, began).TotalMilliseconds);
        try
        {
            await CommitTogether(tenantId, saves);
            _batchTime.Record(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
        }
        catch (Exception e)
        {
            // whatever this node held of these responses may be old (another node wrote) or unknown (the COMMIT's outcome)
            foreach (var save in saves) _states.Remove((tenantId, save.ResponseId));
            var waiting = saves.Where(s => !s.Done.Task.IsCompleted).ToList();
            if (waiting.Count > 0) _logger.LogDebug(e, "A batch of {Count} saves failed; writing them one by one", waiting.Count);
            _alone.Add(waiting.Count);
            foreach (var save in waiting)
            {
                try { await CommitAlone(tenantId, save); }
                catch (Exception alone) { save.Done.TrySetException(alone); }
            }
        }
    }

    /// <summary>
    /// The batch in one transaction: the states this node does not hold loaded in one statement, every save decided, then the
    /// events, the Response documents and the data keys the decisions created written in ONE round trip that is its own
    /// transaction (<see cref="SaveBatchSql.Append"/>: no BEGIN or COMMIT of their own). The load needs no transaction of its
    /// own: the write checks that each stream and document is still the one decided on, and fails the whole batch if not.
    /// Nothing is answered 2xx and nothing is remembered before that round trip returned, i.e. committed.
    /// </summary>
    private async Task CommitTogether(string tenantId, IReadOnlyList<PendingSave> saves)
    {
        await using var connection = _database.CreateConnection();
        await connection.OpenAsync();
        // the decisions read through Marten only what this node does not cache (a version, a key, an invitation), on its own
        // connection; their writes (a response's new data key) are taken out of the session and written with the batch
        await using var session = _store.LightweightSession(tenantId);

        var stored = new Dictionary<Guid, StoredResponse>(saves.Count);
        foreach (var save in saves)
            if (_states.TryGetValue((tenantId, save.ResponseId), out StoredResponse? known) && known is not null) stored[save.ResponseId] = known;
        var missing = saves.Select(s => s.ResponseId).Where(id => !stored.ContainsKey(id)).ToList();
        if (missing.Count > 0) _loaded.Add(missing.Count);
        foreach (var (id, response) in await _sql.Load(connection, tenantId, missing, CancellationToken.None)) stored[id] = response;

        var appends = new List<(PendingSave Save, SaveAppend Append, ResponseSealing? Sealing, SaveResult Result)>(saves.Count);
        foreach (var save in saves)
        {
            var current = stored.GetValueOrDefault(save.ResponseId);
            try
            {
                var decision = await SaveDecision.Make(session, _vault, current?.State, save.Request, complete: false, _time.GetUtcNow(), CancellationToken.None,
                    noDataKey: current?.NoDataKey ?? false);
                var result = new SaveResult(save.ResponseId, save.Request.Sequence, current!.State.Status == ResponseStatus.Completed);
                if (decision.Events is []) { save.Done.TrySetResult(result); continue; }
                var saved = (ResponseAnswersSaved)decision.Events.Single();
                var append = new SaveAppend(save.ResponseId, current, saved, current.State.With(saved));
                appends.Add((save, append, decision.Sealing, result));
            }
            catch (Exception e) when (SaveDecision.IsRequestProblem(e))
            {
                save.Done.TrySetException(e);
            }
        }
        if (appends.Count == 0) return;
        var newKeys = session.PendingChanges.InsertsFor<DataKey>().ToList();
        if (session.PendingChanges.Operations().Count() != newKeys.Count)
            throw new InvalidOperationException("A save decision queued a write other than a new data key; the batch is written save by save.");
        var appending = Stopwatch.GetTimestamp();
        var written = await _sql.Append(connection, tenantId, [.. appends.Select(a => a.Append)], newKeys, CancellationToken.None);
        _appendTime.Record(Stopwatch.GetElapsedTime(appending).TotalMilliseconds);
        _committed.Add(appends.Count);
        _batchSize.Record(appends.Count);
        foreach (var (save, append, sealing, result) in appends)
        {
            _states.Set((tenantId, save.ResponseId), new StoredResponse(append.Before.Version + 1, written, append.After, append.Before.NoDataKey && sealing is null), StateEntry);
            sealing?.Committed();
            save.Done.TrySetResult(result);
        }
    }

    /// <summary>One save through Marten's own append (FetchForWriting, the inline projection): after a batch failed.</summary>
    private async Task CommitAlone(string tenantId, PendingSave save)
    {
        await using var session = _store.LightweightSession(tenantId);
        var stream = await session.Events.FetchForWriting<Response>(save.ResponseId);
        var decision = await SaveDecision.Make(session, _vault, stream.Aggregate, save.Request, complete: false, _time.GetUtcNow(), CancellationToken.None);
        var result = new SaveResult(save.ResponseId, save.Request.Sequence, stream.Aggregate!.Status == ResponseStatus.Completed);
        if (decision.Events.Length > 0)
        {
            stream.AppendMany(decision.Events);
            await session.SaveChangesAsync();
            decision.Sealing?.Committed();
        }
        save.Done.TrySetResult(result);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
        _states.Dispose();
    }

    private sealed record PendingSave(string TenantId, Guid ResponseId, SaveRequest Request)
    {
        public TaskCompletionSource<SaveResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public long Enqueued { get; } = Stopwatch.GetTimestamp();
    }
}
