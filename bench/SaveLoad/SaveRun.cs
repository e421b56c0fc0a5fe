using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SaveLoad;

/// <summary>
/// Closed-loop load on the public endpoints: N clients, each sending one request at a time. A client takes a started response
/// from the pool and saves pages 1..S into it (S = --saves-per-response, like a respondent moving through a survey), then
/// takes the next. Every save is a new sequence number, so each 2xx appends exactly one ResponseAnswersSaved event.
/// Requests go through the HttpClient (the default), or, given a <see cref="RawHttp"/>, through raw sockets
/// with pre-serialised requests (<c>--raw-http</c>), one connection per client either way.
/// </summary>
public sealed class SaveRun
{
    private const int Variants = 140; // lcm of the answer variations in Respondent.SaveBody
    private readonly HttpClient _client;
    private readonly int _savesPerResponse;
    private readonly byte[][] _bodies;
    private readonly byte[] _start;
    private readonly RawHttp? _raw;
    private readonly RawHttp.Template[]? _rawSaves;
    private readonly RawHttp.Template? _rawStart;
    private long _okTotal;
    private long _unknownTotal;

    /// <summary>Saves answered 2xx since this object was made: the number of events the database must hold.</summary>
    public long OkTotal => Interlocked.Read(ref _okTotal);
    /// <summary>Saves whose outcome the client never learnt (exception or timeout): may or may not be committed.</summary>
    public long UnknownTotal => Interlocked.Read(ref _unknownTotal);
    public SaveRun(HttpClient client, string linkId, int savesPerResponse, RawHttp? raw = null)
    {
        _client = client;
        _savesPerResponse = savesPerResponse;
        _bodies = Enumerable.Range(0, savesPerResponse * Variants).Select(i => Respondent.SaveBody(i / Variants + 1, i % Variants)).ToArray();
        _start = Respondent.StartBody(linkId);
        _raw = raw;
        _rawSaves = raw is null ? null : _bodies.Select(b => raw.Prepare("POST", "/api/public/responses/", "/saves", b)).ToArray();
        _rawStart = raw?.Prepare("PUT", "/api/public/responses/", "", _start);
    }

    public double MeanBodyBytes => _bodies.Average(b => b.Length);
    public byte[] SampleBody => _bodies[0];

    public sealed record Result(int Clients, double Seconds, long Ok, IReadOnlyDictionary<string, long> Failures, double[] LatenciesMs, int InlineStarts)
    {
        public double PerSecond => Ok / Seconds;
    }

    public async Task<ConcurrentQueue<Guid>> StartResponses(int count, int concurrency)
    {
        var ids = new ConcurrentQueue<Guid>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => OnOwnThread(_raw is not null, async () =>
        {
            using var lane = new Lane(this);
            while (Interlocked.Increment(ref next) < count)
            {
                var id = Guid.NewGuid();
                await lane.Start(id);
                ids.Enqueue(id);
            }
        })));
        return ids;
    }

    public async Task<Result> Run(ConcurrentQueue<Guid> pool, int clients, TimeSpan duration)
    {
        var failures = new ConcurrentDictionary<string, long>();
        var inlineStarts = 0;
        var perClient = new List<double>[clients];
        var began = Stopwatch.GetTimestamp();
        var deadline = began + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => _raw is null ? Task.Run(() => Client(c)) : OnOwnThread(true, () => Client(c))));

        var seconds = Stopwatch.GetElapsedTime(began).TotalSeconds;
        var all = perClient.SelectMany(l => l).ToArray();
        return new Result(clients, seconds, all.Length, failures, all, inlineStarts);

        async Task Client(int c)
        {
            using var lane = new Lane(this);
            var latencies = perClient[c] = new List<double>(64 * 1024);
            var variant = c;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                if (!pool.TryDequeue(out var id))
                {
                    id = Guid.NewGuid();
                    await lane.Start(id);
                    Interlocked.Increment(ref inlineStarts);
                }
                variant = (variant + clients) % Variants;
                for (var sequence = 1; sequence <= _savesPerResponse && Stopwatch.GetTimestamp() < deadline; sequence++)
                {
                    var body = (sequence - 1) * Variants + variant;
                    var t0 = Stopwatch.GetTimestamp();
                    try
                    {
                        var status = await lane.Save(id, body);
                        var elapsed = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                        if (status is >= 200 and < 300)
                        {
                            latencies.Add(elapsed);
                            Interlocked.Increment(ref _okTotal);
                        }
                        else
                        {
                            failures.AddOrUpdate(status.ToString(System.Globalization.CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                            break; // this response is in an unknown state for the next sequence: take another
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or SocketException)
                    {
                        // (HttpClient's failures and timeouts; the raw client's socket errors, timeouts and unreadable answers)
                        Interlocked.Increment(ref _unknownTotal);
                        failures.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
                        break;
                    }
                }
            }
        }
    }

    /// <summary>
    /// With the raw client a thread of its own per client (its calls block, so its awaits complete at once and it never leaves
    /// that thread); otherwise the caller's thread until the first await, as before.
    /// </summary>
    private static Task OnOwnThread(bool own, Func<Task> client) =>
        own ? Task.Factory.StartNew(client, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap() : client();

    /// <summary>One client's way to the API: the shared HttpClient, or its own raw connection (renewed after an error).</summary>
    private sealed class Lane(SaveRun run) : IDisposable
    {
        private RawHttp.Connection? _connection;
        private Guid _urlId;
        private string _url = "";

        public async Task Start(Guid id)
        {
            if (run._raw is null)
            {
                using var response = await run._client.PutAsync($"/api/public/responses/{id}", Respondent.Json(run._start));
                if (response.StatusCode != HttpStatusCode.Created)
                    throw new InvalidOperationException($"Starting a response answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                return;
            }
            var status = Raw(run._rawStart!, id);
            if (status != (int)HttpStatusCode.Created)
                throw new InvalidOperationException($"Starting a response answered {status}: {_connection?.LastErrorBody}");
        }

        public async Task<int> Save(Guid id, int body)
        {
            if (run._raw is null)
            {
                if (id != _urlId) (_urlId, _url) = (id, $"/api/public/responses/{id}/saves");
                using var response = await run._client.PostAsync(_url, Respondent.Json(run._bodies[body]));
                await response.Content.LoadIntoBufferAsync();
                return (int)response.StatusCode;
            }
            return Raw(run._rawSaves![body], id);
        }

        private int Raw(RawHttp.Template request, Guid id)
        {
            _connection ??= run._raw!.Rent();
            try
            {
                return _connection.Send(request, id);
            }
            finally
            {
                if (_connection.Broken)
                {
                    _connection.Dispose();
                    _connection = null;
                }
            }
        }

        public void Dispose()
        {
            if (_connection is not null) run._raw!.Return(_connection);
        }
    }

    public static HttpClient NewClient(Uri baseAddress, int connections) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
}
