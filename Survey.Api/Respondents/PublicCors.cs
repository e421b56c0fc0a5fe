using System.Collections.Concurrent;
using Marten;
using Survey.Api.Respondents.Distribution;

namespace Survey.Api.Respondents;

/// <summary>
/// CORS for the public endpoints, only for origins registered on a widget key (<see cref="RegisteredOrigins"/>: read from the
/// database, each answer kept on the node for a few seconds). Links and invitations are answered on pages the API serves
/// itself and need no CORS. No cookies: credentials are never allowed. CORS only tells the browser whether the page may read
/// the answer; whether a widget response accepts a write from an origin is checked by the endpoint
/// (<see cref="EnsureOriginAllowed"/>).
/// </summary>
public static class PublicCors
{
    public static IApplicationBuilder UsePublicCors(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!context.Request.Path.StartsWithSegments("/api/public") || context.Request.Headers.Origin is not [{ } origin])
        {
            await next(context);
            return;
        }
        var allowed = await context.RequestServices.GetRequiredService<RegisteredOrigins>().IsRegistered(origin.ToLowerInvariant(), context.RequestAborted);
        context.Response.Headers.Vary = "Origin";
        if (allowed)
        {
            context.Response.Headers.AccessControlAllowOrigin = origin;
            context.Response.Headers.AccessControlExposeHeaders = "Retry-After";
        }
        if (HttpMethods.IsOptions(context.Request.Method) && context.Request.Headers.AccessControlRequestMethod.Count > 0)
        {
            if (allowed)
            {
                context.Response.Headers.AccessControlAllowMethods = "GET, PUT, POST";
                context.Response.Headers.AccessControlAllowHeaders = "Content-Type";
                context.Response.Headers.AccessControlMaxAge = "600";
            }
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        await next(context);
    });

    /// <summary>A widget response accepts writes only from its key's sites (requests without an Origin are not from a browser).</summary>
    public static void EnsureOriginAllowed(HttpContext http, IReadOnlyList<string>? allowedOrigins)
    {
        if (allowedOrigins is null || http.Request.Headers.Origin is not [{ } origin]) return;
        if (!allowedOrigins.Contains(origin.ToLowerInvariant()))
            throw new Survey.Domain.Common.ForbiddenException("This survey cannot be answered from this site.");
    }
}

/// <summary>
/// Whether some widget key lists an origin, as this node last read it from the database. An answer is kept for
/// <see cref="KeptFor"/> (browsers already keep a preflight's answer for its Access-Control-Max-Age, 600 s) and dropped at once
/// on this node when a widget key is created or changed here (<see cref="Forget"/>); other nodes see the change within
/// <see cref="KeptFor"/>. At most <see cref="Capacity"/> origins are kept (emptied when full, refilled on demand).
/// </summary>
public sealed class RegisteredOrigins(IDocumentStore store, TimeProvider time)
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromSeconds(30);
    public const int Capacity = 10_000;

    private sealed record Known(bool Allowed, DateTimeOffset Until, int Generation);

    private readonly ConcurrentDictionary<string, Known> _known = new();
    private int _generation;

    public async ValueTask<bool> IsRegistered(string origin, CancellationToken ct)
    {
        var generation = Volatile.Read(ref _generation);
        var now = time.GetUtcNow();
        if (_known.TryGetValue(origin, out var known) && known.Generation == generation && now < known.Until) return known.Allowed;
        bool allowed;
        await using (var session = store.QuerySession())
            allowed = await session.Query<PublicAddress>().AnyAsync(a => a.Kind == PublicAddressKind.WidgetKey && a.AllowedOrigins!.Contains(origin), ct);
        if (_known.Count >= Capacity) _known.Clear();
        // read before the query: an answer read while a key changed on this node carries the old generation and is not used
        _known[origin] = new Known(allowed, now + KeptFor, generation);
        return allowed;
    }

    /// <summary>After a widget key's origins were written on this node (after the commit).</summary>
    public void Forget()
    {
        Interlocked.Increment(ref _generation);
        _known.Clear();
    }
}
