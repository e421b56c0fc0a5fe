using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Survey.Api.Hosting;
using Survey.Api.Respondents.Answering;
using Survey.Tests.Api.Respondents;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Faults;

/// <summary>The API against a PostgreSQL cluster of its own, which the test kills with SIGKILL and starts again on the same port.</summary>
public sealed class CrashableApiFixture : ApiFixture
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"survey-crash-{Guid.NewGuid():N}");
    private static EmbeddedPostgres _cluster = null!;

    public CrashableApiFixture() : base(StartCluster()) { }

    // one save writer: the mid-batch test queues saves behind a blocked batch (with two, the second writer would take them)
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Respondents:SaveWriters", "1");
    }

    private static string StartCluster()
    {
        _cluster = EmbeddedPostgres.Start(Path.Combine(Root, "pg"));
        _cluster.EnsureDatabase("survey");
        return _cluster.ConnectionString("survey");
    }

    /// <summary>SIGKILL to the postmaster, as a power cut would do; its backends notice and exit.</summary>
    public async Task KillDatabase()
    {
        var pid = int.Parse(File.ReadLines(Path.Combine(_cluster.DataDirectory, "postmaster.pid")).First());
        Process.GetProcessById(pid).Kill();
        for (var i = 0; i < 100 && Process.GetProcesses().Any(p => p.ProcessName == "postgres" && IsChildOf(p, pid)); i++) await Task.Delay(100);
        await Task.Delay(500);
    }

    public void RestartDatabase()
    {
        var port = _cluster.Port;
        _cluster.Release();
        _cluster = EmbeddedPostgres.Start(Path.Combine(Root, "pg"), port: port);
    }

    private static bool IsChildOf(Process process, int parent)
    {
        try { return File.ReadAllText($"/proc/{process.Id}/stat").Split(' ')[3] == parent.ToString(); }
        catch (IOException) { return false; }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _cluster.Stop();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public class DatabaseCrashTests(CrashableApiFixture api) : IClassFixture<CrashableApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Saves_that_got_a_2xx_survive_a_killed_database_exactly_once_and_retrying_clients_end_with_one_response_each()
    {
        var respondent = new Respondent(_client);
        var link = await respondent.Link(await respondent.PublishedSurvey());
        var clients = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid()).ToList();
        var acknowledged = new ConcurrentDictionary<(Guid, int), bool>();
        var statuses = new ConcurrentBag<int>();
        const int savesPerClient = 40;

        async Task<HttpResponseMessage> UntilAccepted(Func<Task<HttpResponseMessage>> send)
        {
            for (var attempt = 0; ; attempt++)
            {
                HttpResponseMessage response;
                try { response = await send(); }
                catch (HttpRequestException) { await Task.Delay(100); continue; }
                statuses.Add((int)response.StatusCode);
                if (response.IsSuccessStatusCode || attempt > 600) return response;
                await Task.Delay(100);
            }
        }

        async Task Client(Guid id)
        {
            (await UntilAccepted(() => respondent.Start(id, new SourceView("link", LinkId: link)))).IsSuccessStatusCode.ShouldBeTrue();
            for (var sequence = 1; sequence <= savesPerClient; sequence++)
            {
                var seq = sequence;
                var response = await UntilAccepted(() => respondent.Save(id, seq, new { comment = $"save {seq} of {id}", nps = seq % 11 }));
                response.IsSuccessStatusCode.ShouldBeTrue($"save {seq} never accepted: {response.StatusCode}");
                acknowledged[(id, seq)] = true;
                await Task.Delay(20);
            }
        }

        var running = Task.WhenAll(clients.Select(Client));
        await Task.Delay(700);
        await api.KillDatabase();
        await Task.Delay(1500); // clients keep trying against a dead database
        api.RestartDatabase();
        await running;

        statuses.ShouldContain(503, "the outage was visible to clients as 503");
        statuses.ShouldNotContain(500);
        acknowledged.Count.ShouldBe(clients.Count * savesPerClient);
        var fresh = new Npgsql.NpgsqlConnectionStringBuilder(api.ConnectionString) { Pooling = false }.ConnectionString; // the test's own pooled connections died too
        foreach (var id in clients)
        {
            var saves = await TestPostgres.ScalarAsync(fresh,
                $"select count(*) from survey.mt_events where stream_id = '{id}' and type = 'response_answers_saved'");
            saves.ShouldBe(savesPerClient, $"response {id}");
            var distinct = await TestPostgres.ScalarAsync(fresh,
                $"select count(distinct data ->> 'sequence') from survey.mt_events where stream_id = '{id}' and type = 'response_answers_saved'");
            distinct.ShouldBe(savesPerClient);
        }
        // (this class's other test starts responses of its own in the same database)
        (await TestPostgres.ScalarAsync(fresh, $"select count(*) from survey.mt_streams where type = 'response' and id in ({string.Join(", ", clients.Select(c => $"'{c}'"))})")).ShouldBe(clients.Count);
    }

    [Fact]
    public async Task A_database_killed_while_a_batch_of_saves_is_in_its_transaction_answers_none_of_them_2xx_and_their_retries_land_once()
    {
        var respondent = new Respondent(_client);
        var link = await respondent.Link(await respondent.PublishedSurvey());
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var id in ids) (await respondent.Start(id, new SourceView("link", LinkId: link))).IsSuccessStatusCode.ShouldBeTrue();
        var writer = api.Services.GetRequiredService<SaveWriter>();

        // the writer busy with ids[0]'s save (its row locked), ids[1..] queue up; ids[1]'s row is locked too, so their batch stops
        // inside its transaction; then the database dies
        var first = await GroupCommitTests.Block(api.ConnectionString, ids[0]);
        var second = await GroupCommitTests.Block(api.ConnectionString, ids[1]);
        var blocked = respondent.Save(ids[0], 1, new { nps = 3 });
        await GroupCommitTests.Until(async () => await GroupCommitTests.WaitingForLocks(api.ConnectionString) == 1);
        var batch = ids[1..].Select(id => respondent.Save(id, 1, new { nps = 7, comment = $"for {id}" })).ToArray();
        await GroupCommitTests.Until(() => Task.FromResult(writer.Waiting == batch.Length));
        await first.CommitAsync();
        (await blocked).StatusCode.ShouldBe(HttpStatusCode.OK);
        await GroupCommitTests.Until(async () => writer.Waiting == 0 && await GroupCommitTests.WaitingForLocks(api.ConnectionString) == 1);
        batch.ShouldAllBe(b => !b.IsCompleted);

        await api.KillDatabase();
        var statuses = (await Task.WhenAll(batch.Select(async b => { try { return (int)(await b).StatusCode; } catch (HttpRequestException) { return 0; } }))).ToList();
        statuses.ShouldAllBe(s => s == 503, "no save of the killed transaction is acknowledged");
        api.RestartDatabase();
        try { await second.Connection!.DisposeAsync(); } catch (NpgsqlException) { }

        var fresh = new NpgsqlConnectionStringBuilder(api.ConnectionString) { Pooling = false }.ConnectionString;
        foreach (var id in ids[1..])
            (await TestPostgres.ScalarAsync(fresh, $"select count(*) from survey.mt_events where stream_id = '{id}' and type = 'response_answers_saved'")).ShouldBe(0);
        foreach (var id in ids[1..])
        {
            HttpResponseMessage? answer = null;
            for (var attempt = 0; attempt < 100 && answer is not { IsSuccessStatusCode: true }; attempt++)
            {
                try { answer = await respondent.Save(id, 1, new { nps = 7, comment = $"for {id}" }); }
                catch (HttpRequestException) { }
                if (answer is not { IsSuccessStatusCode: true }) await Task.Delay(200);
            }
            answer!.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await respondent.Save(id, 1, new { nps = 7, comment = $"for {id}" })).StatusCode.ShouldBe(HttpStatusCode.OK); // and once more
        }
        foreach (var id in ids)
            (await TestPostgres.ScalarAsync(fresh, $"select count(*) from survey.mt_events where stream_id = '{id}' and type = 'response_answers_saved'")).ShouldBe(1);

        // the API's pools still hold connections of the killed server, each good for one 503: use them up, for the next test
        for (int attempt = 0, inARow = 0; inARow < 10 && attempt < 200; attempt++)
        {
            var status = (await _client.Send(HttpMethod.Post, "/api/questionnaires",
                global::Survey.Tests.Api.Questionnaires.QuestionnaireRequests.Create(global::Survey.Tests.Domain.Questionnaires.Samples.Nps()))).StatusCode;
            inARow = status == HttpStatusCode.Created ? inARow + 1 : 0;
        }
    }
}
