using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Survey.Api.Http;
using Survey.Api.Questionnaires;
using Survey.Domain.Common;

namespace Survey.Api.Security;

/// <summary>Marks a read that must be audited anyway (exports of data).</summary>
public sealed class AuditedReadMetadata;

/// <summary>
/// Records every non-GET call of a signed-in console user to an endpoint that needs authorization (and every read marked
/// <see cref="AuditedReadMetadata"/>): who, role, tenant, method, route, target id, status, when. Denied calls (403) are
/// recorded too. The entry is written before the endpoint runs and its outcome before the answer leaves (<c>OnStarting</c>):
/// a change never commits without its entry, and a client that got its answer finds the outcome in the log.
/// </summary>
public static class AuditMiddleware
{
    private static readonly string[] TargetKeys = ["id", "code", "key", "importId", "questionId", "locale"];

    /// <summary>Audit this read (an export) like a change.</summary>
    public static TBuilder AuditedRead<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AuditedReadMetadata());

    /// <summary>Between authentication and authorization, so refused calls are seen as well.</summary>
    public static IApplicationBuilder UseAudit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null || !Audited(context.Request.Method, endpoint) || context.User.Identity?.IsAuthenticated != true
            || context.User.FindFirstValue(Claims.Tenant) is not { Length: > 0 } tenant)
        {
            await next(context);
            return;
        }
        var user = context.User;
        var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "";
        var action = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? $"{context.Request.Method} {route}";
        var target = string.Join("/", TargetKeys.Select(k => context.Request.RouteValues[k]?.ToString()).Where(v => !string.IsNullOrEmpty(v)));
        var path = context.Request.Path.Value ?? "";
        var method = context.Request.Method;
        var log = context.RequestServices.GetRequiredService<AuditLog>();
        var entry = new AuditRecord(tenant, AuditLog.UserOf(user), AuditLog.RolesOf(user), action, method, route, path, target.Length > 0 ? target : null, null);
        // written ahead: no audit entry, no change (a failure here answers 500 before the endpoint runs)
        var attempt = await log.Begin(entry, context.RequestAborted);
        context.Response.OnStarting(async () =>
        {
            var status = context.Response.StatusCode;
            var created = target.Length == 0 && context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location.TrimEnd('/').Split('/')[^1] : null;
            try { await log.Complete(attempt, entry with { Target = created, Status = status }, CancellationToken.None); }
            catch (Exception) when (status >= 500) { /* nothing changed; the failure itself is in the server log */ }
        });
        await next(context);
    });

    private static bool Audited(string method, Endpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null) return false;
        var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
        if (policies.Count == 0 || policies.Any(p => p.Policy == Policies.Ingestion)) return false;
        return endpoint.Metadata.GetMetadata<AuditedReadMetadata>() is not null || !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));
    }

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", Query).WithTags("Security").WithName("ListAudit").RequireAuthorization(Policies.Administrator)
            .WithSummary("Who did what and when in this tenant, newest first (filters: user, action, target, from, to)");
        return app;
    }

    private static async Task<Ok<Page<AuditEntry>>> Query(string? user, string? action, string? target, DateTimeOffset? from, DateTimeOffset? to,
        int? page, int? pageSize, Storage.Tenancy tenancy, AuditLog log, CancellationToken ct)
    {
        var (number, size, problems) = Paging.Read(page, pageSize, 50, 500);
        InvalidInputException.ThrowIfAny(problems);
        var (items, total) = await log.Query(tenancy.TenantId, new AuditLog.Filter(user, action, target, from, to), number, size, ct);
        return TypedResults.Ok(new Page<AuditEntry>(items, number, size, total));
    }
}
