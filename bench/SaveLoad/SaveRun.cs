using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace SaveLoad;

/// <summary>
/// Closed-loop load on the public endpoints: N clients, each sending one request at a time. A client takes a started response
/// from the pool and saves pages 1..S into it (S = --saves-per-response, like a respondent moving through a survey), then
/// takes the next. Every save is a new sequence number, so each 2xx appends exactly one ResponseAnswersSaved event.
/// </summary>
public sealed class SaveRun(HttpClient client, string linkId, int savesPerResponse)
{
    private const int Variants = 140; // lcm of the answer variations in Respondent.SaveBody
    private readonly byte[][] _bodies = Enumerable.Range(0, savesPerResponse * Variants)
        .Select(i => Respondent.SaveBody(i / Variants + 1, i % Variants)).ToArray();
    private readonly byte[] _start = Respondent.StartBody(linkId);
    private long _okTotal;
    private long _unknownTotal;

    /// <summary>Saves answered 2xx since this object was made: the number of events the database must hold.</summary>
    public long OkTotal => Interlocked.Read(ref _okTotal);
    /// <summary>Saves whose outcome the client never learnt (exception or timeout): may or may not be committed.</summary>
    public long UnknownTotal => Interlocked.Read(ref _unknownTotal);
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
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                var id = Guid.NewGuid();
                await Start(id);
                ids.Enqueue(id);
            }
        }));
        return ids;
    }

    private async Task Start(Guid id)
    {
        using var response = await client.PutAsync($"/api/public/responses/{id}", Respondent.Json(_start));
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"Starting a response answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<Result> Run(ConcurrentQueue<Guid> pool, int clients, TimeSpan duration)
    {
        var failures = new ConcurrentDictionary<string, long>();
        var inlineStarts = 0;
        var perClient = new List<double>[clients];
        var began = Stopwatch.GetTimestamp();
        var deadline = began + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var latencies = perClient[c] = new List<double>(64 * 1024);
            var variant = c;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                if (!pool.TryDequeue(out var id))
                {
                    id = Guid.NewGuid();
                    await Start(id);
                    Interlocked.Increment(ref inlineStarts);
                }
                variant = (variant + clients) % Variants;
                var url = $"/api/public/responses/{id}/saves";
                for (var sequence = 1; sequence <= savesPerResponse && Stopwatch.GetTimestamp() < deadline; sequence++)
                {
                    var body = _bodies[(sequence - 1) * Variants + variant];
                    var t0 = Stopwatch.GetTimestamp();
                    try
                    {
                        using var response = await client.PostAsync(url, Respondent.Json(body));
                        await response.Content.LoadIntoBufferAsync();
                        var elapsed = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                        if (response.IsSuccessStatusCode)
                        {
                            latencies.Add(elapsed);
                            Interlocked.Increment(ref _okTotal);
                        }
                        else
                        {
                            failures.AddOrUpdate(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                            break; // this response is in an unknown state for the next sequence: take another
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        Interlocked.Increment(ref _unknownTotal);
                        failures.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
                        break;
                    }
                }
            }
        })));

        var seconds = Stopwatch.GetElapsedTime(began).TotalSeconds;
        var all = perClient.SelectMany(l => l).ToArray();
        return new Result(clients, seconds, all.Length, failures, all, inlineStarts);
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
