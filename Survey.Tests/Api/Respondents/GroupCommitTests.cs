using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Survey.Api.Respondents.Answering;
using Survey.Tests.Faults;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Respondents;

/// <summary>
/// Group commit of saves (SaveWriter). A test holds a lock on one response's stream row, so the save of that response waits
/// inside its transaction; the saves sent meanwhile queue up and are written together in the next transaction.
/// </summary>
/// <summary>The API with one save writer, so the saves queued behind a blocked batch stay queued until it ends.</summary>
public sealed class OneSaveWriterApiFixture : ApiFixture
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Respondents:SaveWriters", "1");
    }
}

public class GroupCommitTests(OneSaveWriterApiFixture api) : IClassFixture<OneSaveWriterApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();
    private Respondent Respondent => new(_client);
    private SaveWriter Writer => api.Services.GetRequiredService<SaveWriter>();

    [Fact]
    public async Task Saves_that_queue_up_commit_in_one_transaction_and_a_refused_save_among_them_changes_nothing()
    {
        var link = await Respondent.Link(await Respondent.PublishedSurvey());
        var ids = await Started(link, 6);
        (await Respondent.Save(ids[5], 1, new { nps = 9 })).StatusCode.ShouldBe(HttpStatusCode.OK);

        Task<HttpResponseMessage>[] queued;
        await using (var blocker = await Block(ids[0]))
        {
            var blocked = Respondent.Save(ids[0], 1, new { nps = 3 });
            await Until(async () => await WaitingForLocks() == 1);
            queued =
            [
                Respondent.Save(ids[1], 1, new { nps = 4, comment = "Waited an hour." }),
                Respondent.Save(ids[2], 1, new { nps = 5 }),
                Respondent.Save(ids[3], 1, new { nps = 6 }),
                Respondent.Save(ids[4], 1, new { nps = 11 }), // out of range: refused
                Respondent.Save(ids[5], 1, new { nps = 9 }),  // a retry of a committed save
            ];
            await Until(() => Task.FromResult(Writer.Waiting == queued.Length));
            blocked.IsCompleted.ShouldBeFalse();
            queued.ShouldAllBe(q => !q.IsCompleted); // nothing is answered before its commit
            await blocker.CommitAsync();
            (await blocked).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var answers = await Task.WhenAll(queued);
        answers.Select(a => a.StatusCode).ShouldBe([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.OK]);
        (await answers[3].Problem(HttpStatusCode.BadRequest)).ErrorPaths().ShouldBe(["nps"]);
        (await SaveEvents(ids[4])).ShouldBe(0);
        (await SaveEvents(ids[5])).ShouldBe(1);
        foreach (var id in ids[1..4]) (await SaveEvents(id)).ShouldBe(1);
        // one transaction for the three new saves: their events carry the same inserting transaction id
        (await TestPostgres.ScalarAsync(api.ConnectionString,
            $"select count(distinct xmin::text) from survey.mt_events where type = 'response_answers_saved' and stream_id in ('{ids[1]}', '{ids[2]}', '{ids[3]}')")).ShouldBe(1);
        (await (await _client.GetAsync($"/api/responses/{ids[1]}")).Read<Survey.Domain.Responses.Response>()).Answers["comment"].Text.ShouldBe("Waited an hour.");
    }

    [Fact]
    public async Task When_the_database_refuses_one_save_of_a_batch_the_others_are_written_alone_and_answered_2xx()
    {
        var link = await Respondent.Link(await Respondent.PublishedSurvey());
        var ids = await Started(link, 5);
        var refused = ids[2];
        await Execute($"""
            create function survey.refuse_one() returns trigger language plpgsql as $$
            begin if new.stream_id = '{refused}' then raise exception 'refused' using errcode = '40001'; end if; return new; end $$;
            create trigger refuse_one before insert on survey.mt_events for each row execute function survey.refuse_one();
            """);
        try
        {
            Task<HttpResponseMessage>[] queued;
            await using (var blocker = await Block(ids[0]))
            {
                var blocked = Respondent.Save(ids[0], 1, new { nps = 3 });
                await Until(async () => await WaitingForLocks() == 1);
                queued = [.. ids[1..].Select(id => Respondent.Save(id, 1, new { nps = 8 }))];
                await Until(() => Task.FromResult(Writer.Waiting == queued.Length));
                await blocker.CommitAsync();
                (await blocked).StatusCode.ShouldBe(HttpStatusCode.OK);
            }
            var answers = await Task.WhenAll(queued);
            // the refusal is a serialization failure: 503, send again (nothing of it was kept)
            answers.Select(a => (int)a.StatusCode).ShouldBe([200, 503, 200, 200]);
            foreach (var id in ids) (await SaveEvents(id)).ShouldBe(id == refused ? 0 : 1);
        }
        finally
        {
            await Execute("drop trigger refuse_one on survey.mt_events; drop function survey.refuse_one();");
        }
        (await Respondent.Save(refused, 1, new { nps = 8 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await SaveEvents(refused)).ShouldBe(1);
    }

    private async Task<Guid[]> Started(string link, int count)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var id in ids) (await Respondent.Start(id, new SourceView("link", LinkId: link))).StatusCode.ShouldBe(HttpStatusCode.Created);
        return ids;
    }

    /// <summary>A transaction holding the lock on a response's stream row: its next append waits until this one ends.</summary>
    internal static Task<NpgsqlTransaction> Block(string connectionString, Guid responseId) => BlockOn(connectionString, responseId);

    private Task<NpgsqlTransaction> Block(Guid responseId) => BlockOn(api.ConnectionString, responseId);

    private static async Task<NpgsqlTransaction> BlockOn(string connectionString, Guid responseId)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var lockRow = new NpgsqlCommand($"select 1 from survey.mt_streams where id = '{responseId}' for update", connection, transaction);
        (await lockRow.ExecuteScalarAsync()).ShouldNotBeNull();
        return transaction;
    }

    private Task<long> WaitingForLocks() => WaitingForLocks(api.ConnectionString);

    internal static Task<long> WaitingForLocks(string connectionString) => TestPostgres.ScalarAsync(connectionString,
        "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");

    internal static async Task Until(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 300 && !await condition(); i++) await Task.Delay(50);
        (await condition()).ShouldBeTrue("waited 15 s");
    }

    private Task<long> SaveEvents(Guid id) => TestPostgres.ScalarAsync(api.ConnectionString,
        $"select count(*) from survey.mt_events where stream_id = '{id}' and type = 'response_answers_saved'");

    private async Task Execute(string sql)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
