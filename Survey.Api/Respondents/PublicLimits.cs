using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.RateLimiting;
using Survey.Api.Http;

namespace Survey.Api.Respondents;

/// <summary>
/// Abuse limits on the public endpoints: a fixed window per client IP and one per survey address (token, link, widget key
/// or response id, taken from the route), a small body limit, and 429 problem details with Retry-After.
/// </summary>
public static class PublicLimits
{
    public const string Policy = "public";

    private sealed record BodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;

    public static IServiceCollection AddPublicLimits(this IServiceCollection services, RespondentOptions options)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Policy, context =>
            {
                var ip = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter($"ip:{ip}", _ => Window(options.RequestsPerMinutePerIp));
            });
            limiter.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                var problem = Problems.Of(429, "too-many-requests", "Too many requests. Please wait a moment and try again.");
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>()
                    .WriteAsync(new ProblemDetailsContext { HttpContext = context.HttpContext, ProblemDetails = problem });
            };
        });
        return services;
    }

    public static RouteGroupBuilder RequirePublicLimits(this RouteGroupBuilder group)
    {
        var options = ((IEndpointRouteBuilder)group).ServiceProvider.GetService<Microsoft.Extensions.Options.IOptions<RespondentOptions>>()?.Value ?? new RespondentOptions();
        // One policy per group; the per-key window is added as a filter so both limits apply.
        group.RequireRateLimiting(Policy);
        group.WithMetadata(new BodyLimit(options.MaxBodyBytes));
        group.AddEndpointFilter(async (context, next) =>
        {
            var limiter = context.HttpContext.RequestServices.GetRequiredService<KeyLimiter>();
            using var lease = await limiter.Acquire(context.HttpContext);
            if (!lease.IsAcquired)
            {
                var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return TypedResults.Problem(Problems.Of(429, "too-many-requests", "Too many requests for this survey. Please wait a moment and try again."));
            }
            return await next(context);
        });
        return group;
    }

    private static FixedWindowRateLimiterOptions Window(int perMinute) =>
        new() { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true };

    /// <summary>The per-address window, shared by all requests of this node.</summary>
    public sealed class KeyLimiter(Microsoft.Extensions.Options.IOptions<RespondentOptions> options) : IDisposable
    {
        private readonly PartitionedRateLimiter<HttpContext> _limiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var values = context.Request.RouteValues;
            var key = (values["token"] ?? values["linkId"] ?? values["publicKey"] ?? values["responseId"])?.ToString() ?? "none";
            return RateLimitPartition.GetFixedWindowLimiter(key, _ => Window(options.Value.RequestsPerMinutePerKey));
        });

        public ValueTask<RateLimitLease> Acquire(HttpContext context) => _limiter.AcquireAsync(context);
        public void Dispose() => _limiter.Dispose();
    }
}
