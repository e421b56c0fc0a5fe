using System.Collections.Concurrent;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Hosting;

public static class RecordingJob
{
    public static readonly ConcurrentDictionary<Guid, string> Ran = new();

    public static void Record(Guid id, string note) => Ran[id] = note;
}

public class JobServerTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_job_enqueued_in_the_database_is_run_by_the_api_job_server()
    {
        _ = api.CreateClient(); // starts the host
        var id = Guid.NewGuid();
        var jobId = api.Services.GetRequiredService<IBackgroundJobClient>().Enqueue(() => RecordingJob.Record(id, "ran"));

        for (var i = 0; i < 300 && !RecordingJob.Ran.ContainsKey(id); i++) await Task.Delay(100);
        RecordingJob.Ran.GetValueOrDefault(id).ShouldBe("ran", $"job {jobId} did not run within 30 s");
        (await TestPostgres.ScalarAsync(api.ConnectionString, $"select count(*) from hangfire.job where id = {jobId}")).ShouldBe(1);
    }
}
