using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Survey.Api.Http;

namespace Survey.Api.Respondents;

/// <summary>
/// Abuse limits on the public endpoints: a one-minute window per client IP and one per survey address (token, link, widget
/// key or response id, taken from the route), a small body limit, and 429 problem details with Retry-After. The windows are
/// counted per node (<see cref="FixedWindows{TKey}"/>: no limiter object per address and no timer walking them).
/// </summary>
public static class PublicLimits
{
    private sealed record BodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;

    /// <summary>Marks the endpoints the limits apply to.</summary>
    private sealed class Limited;

    private static readonly IPAddress NoAddress = IPAddress.IPv6None;

    public static IServiceCollection AddPublicLimits(this IServiceCollection services)
    {
        services.AddSingleton<Windows>();
        return services;
    }

    public static RouteGroupBuilder RequirePublicLimits(this RouteGroupBuilder group)
    {
        var options = ((IEndpointRouteBuilder)group).ServiceProvider.GetService<IOptions<RespondentOptions>>()?.Value ?? new RespondentOptions();
        group.WithMetadata(new Limited(), new BodyLimit(options.MaxBodyBytes));
        return group;
    }

    /// <summary>After routing (the limits need the endpoint and its route values), before the endpoint reads the body.</summary>
    public static IApplicationBuilder UsePublicLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<Limited>() is null)
        {
            await next(context);
            return;
        }
        var windows = context.RequestServices.GetRequiredService<Windows>();
        if (!windows.PerIp.TryAcquire(context.Connection.RemoteIpAddress ?? NoAddress, out var wait))
        {
            await Refuse(context, wait, "Too many requests. Please wait a moment and try again.");
            return;
        }
        // routes without a survey address (the mini-program's sign-in and pending list) have only the per-IP window: one window
        // shared by all of them would refuse everyone once a busy node passed the per-address limit
        if (KeyOf(context.Request.RouteValues) is { } key && !windows.PerKey.TryAcquire(key, out wait))
        {
            await Refuse(context, wait, "Too many requests for this survey. Please wait a moment and try again.");
            return;
        }
        await next(context);
    });

    /// <summary>The survey address in the route: an invitation token, an open link, a widget key, a response or a short link's id.</summary>
    private static string? KeyOf(RouteValueDictionary values) =>
        (values["token"] ?? values["linkId"] ?? values["publicKey"] ?? values["responseId"] ?? values["id"])?.ToString();

    private static async Task Refuse(HttpContext context, TimeSpan retryAfter, string title)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = Problems.Of(StatusCodes.Status429TooManyRequests, "too-many-requests", title),
        });
    }

    /// <summary>The windows of this node: per client IP and per survey address.</summary>
    public sealed class Windows(IOptions<RespondentOptions> options)
    {
        public FixedWindows<IPAddress> PerIp { get; } =
            new(options.Value.RequestsPerMinutePerIp, TimeSpan.FromMinutes(1), options.Value.RateLimitEntries, TimeProvider.System);

        public FixedWindows<string> PerKey { get; } =
            new(options.Value.RequestsPerMinutePerKey, TimeSpan.FromMinutes(1), options.Value.RateLimitEntries, TimeProvider.System);
    }
}
