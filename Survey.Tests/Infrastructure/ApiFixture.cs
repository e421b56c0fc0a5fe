using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Survey.Tests.Infrastructure;

/// <summary>
/// The real API on Kestrel (127.0.0.1, free port) against its own fresh database in the run's PostgreSQL cluster,
/// with a fake clock. One per test class.
/// </summary>
public class ApiFixture : WebApplicationFactory<Program>
{
    public ApiFixture() : this(TestPostgres.CreateDatabase()) { }

    protected ApiFixture(string connectionString)
    {
        ConnectionString = connectionString;
        UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
    }

    public string ConnectionString { get; }
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Postgres", ConnectionString);
        // many API instances share the run's cluster; two job workers each are plenty for tests
        builder.UseSetting("Storage:JobWorkers", "2");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    /// <summary>Extra configuration for fixtures that need it (e.g. low rate limits).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    /// <summary>Rows in a table of the Marten schema, e.g. "mt_events"; used to prove a refused request wrote nothing.</summary>
    public Task<long> CountRows(string table) => TestPostgres.ScalarAsync(ConnectionString, $"select count(*) from survey.{table}");
}
