using System.Text.Json;
using Hangfire;
using Marten;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Survey.Api.Storage;

namespace Survey.Api.Health;

/// <summary><c>/health</c>: the database answers and a Hangfire server of this node is beating.</summary>
public static class HealthSetup
{
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<HangfireHealthCheck>("hangfire");
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteJson })
            .WithTags("Operations")
            .AllowAnonymous();
        return app;
    }

    private static Task WriteJson(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
    }
}

internal sealed class DatabaseHealthCheck(IDocumentStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var session = store.QuerySession();
            var one = await session.QueryAsync<int>("select 1", ct);
            return one.SequenceEqual([1]) ? HealthCheckResult.Healthy("PostgreSQL answers.") : HealthCheckResult.Unhealthy("PostgreSQL gave an unexpected answer.");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL is not reachable: {e.GetType().Name}.");
        }
    }
}

internal sealed class HangfireHealthCheck(JobStorage storage, IOptions<StorageOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var servers = storage.GetMonitoringApi().Servers();
            var beating = servers.Count(s => s.Heartbeat is { } beat && DateTime.UtcNow - beat < TimeSpan.FromMinutes(1));
            if (beating > 0) return Task.FromResult(HealthCheckResult.Healthy($"{beating} Hangfire server(s) running."));
            return Task.FromResult(options.Value.RunJobServer
                ? HealthCheckResult.Degraded("No Hangfire server has beaten in the last minute (starting up?).")
                : HealthCheckResult.Healthy("Hangfire storage reachable; this node runs no job server."));
        }
        catch (Exception e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"Hangfire storage is not reachable: {e.GetType().Name}."));
        }
    }
}
