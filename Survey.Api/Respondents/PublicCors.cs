using Marten;
using Survey.Api.Respondents.Distribution;

namespace Survey.Api.Respondents;

/// <summary>
/// CORS for the public endpoints, only for origins registered on a widget key (looked up in the database on each request,
/// so every node agrees at once). Links and invitations are answered on pages the API serves itself and need no CORS.
/// No cookies: credentials are never allowed.
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
        var allowed = await IsRegistered(context.RequestServices.GetRequiredService<IDocumentStore>(), origin.ToLowerInvariant(), context.RequestAborted);
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

    private static async Task<bool> IsRegistered(IDocumentStore store, string origin, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<PublicAddress>().AnyAsync(a => a.Kind == PublicAddressKind.WidgetKey && a.AllowedOrigins!.Contains(origin), ct);
    }
}
