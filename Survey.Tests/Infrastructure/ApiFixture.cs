using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Survey.Api.Security;
using Survey.Api.Storage;

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
        // the minutely dispatcher job runs once, not every second in the background: tests run the dispatcher themselves
        builder.UseSetting("Invitations:Dispatch:PollInterval", "00:00:00");
        // the development sign-in with a fixed key, so every host on a database accepts the tokens of the others
        builder.UseSetting("Security:DevSigningKey", SigningKey);
        builder.UseSetting("Security:DevSignIn", "true");
        // tests move the fake clock by days and months; the fixture's tokens outlive that (expiry is tested on its own)
        builder.UseSetting("Security:DevTokenLifetime", "3650.00:00:00");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    /// <summary>Test-only key of the development sign-in (never used outside tests).</summary>
    public const string SigningKey = "dGVzdC1vbmx5LWRldi1zaWduLWluLWtleS0wMTIzNDU2Nzg5YWJjZGVm";

    /// <summary>Clients made by <c>CreateClient</c> act as an administrator of the default tenant.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        if (DefaultUser is { } user) client.DefaultRequestHeaders.Authorization = new("Bearer", Token(user));
    }

    /// <summary>Who <c>CreateClient</c> signs in as; null for anonymous clients.</summary>
    protected virtual DevSignInRequest? DefaultUser => new("test-admin", Roles.Administrator, Tenancy.DefaultTenant);

    /// <summary>A bearer token from the API's own development sign-in, for any user, role, tenant and scope.</summary>
    public string Token(DevSignInRequest user) =>
        Task.Run(() => Services.GetRequiredService<DevSignIn>().Issue(user, CancellationToken.None)).GetAwaiter().GetResult().AccessToken;

    /// <summary>A client signed in as someone else (another role, scope or tenant).</summary>
    public HttpClient ClientFor(string role, string tenant = Tenancy.DefaultTenant, string[]? regions = null, string? dealer = null, string? user = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Token(new DevSignInRequest(user ?? $"{role}@{tenant}", role, tenant, regions, dealer)));
        return client;
    }

    /// <summary>A client without credentials (respondents, providers, attackers).</summary>
    public HttpClient Anonymous()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    /// <summary>Extra configuration for fixtures that need it (e.g. low rate limits).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    private IHost? _host;

    protected override IHost CreateHost(IHostBuilder builder) => _host = base.CreateHost(builder);

    /// <summary>
    /// Stops the API the way it stops in production: the application is asked to stop and Program's <c>app.Run()</c> stops
    /// the host. The factory's own teardown stops the host too, and does so by asking the application to stop first, so
    /// left alone the two stops run at once and every hosted service's StopAsync is called twice concurrently (CI saw
    /// Marten's projection coordinator dispose its cancellation source under the other call: ObjectDisposedException).
    /// Waiting for the first stop to finish makes the factory's stop a second one after it, which the services allow.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        if (_host is { } host)
        {
            var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStopped.Register(() => stopped.TrySetResult()))
            {
                lifetime.StopApplication();
                // a host that never reached app.Run()'s wait is stopped by the factory alone
                await Task.WhenAny(stopped.Task, Task.Delay(TimeSpan.FromSeconds(60)));
            }
        }
        await base.DisposeAsync();
    }

    /// <summary>Rows in a table of the Marten schema, e.g. "mt_events"; used to prove a refused request wrote nothing.</summary>
    public Task<long> CountRows(string table) => TestPostgres.ScalarAsync(ConnectionString, $"select count(*) from survey.{table}");
}
