using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Survey.Api.Privacy;

namespace Survey.Api.Security;

/// <summary>
/// A browser cannot send a bearer header when it navigates, so an administrator of the operating tenant opens the job dashboard
/// through a short session: <c>POST /api/jobs/dashboard-session</c> (bearer) sets a cookie for <c>/hangfire</c> only, HttpOnly,
/// SameSite=Strict (no cross-site request carries it, so the dashboard's buttons cannot be driven from another site), Secure on
/// HTTPS, valid <see cref="Lifetime"/>. Its value is the user and expiry signed with a key derived from the privacy master key,
/// which every node shares (checked at start-up), so any node accepts it.
/// </summary>
public sealed class JobDashboardSession(MasterKey master, TimeProvider time)
{
    public const string Cookie = "survey.jobs";
    public const string Path = "/hangfire";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    private readonly byte[] _key = HMACSHA256.HashData(master.Key, "survey|jobs-dashboard|v1"u8);

    public string Issue(string user, DateTimeOffset expires)
    {
        var payload = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes($"{expires.ToUnixTimeSeconds()}|{user}"));
        return payload + "." + Base64UrlEncoder.Encode(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(payload)));
    }

    /// <summary>The user of a valid, unexpired session value; null otherwise.</summary>
    public string? Verify(string? value)
    {
        if (value?.Split('.') is not [var payload, var signature]) return null;
        byte[] given;
        try { given = Base64UrlEncoder.DecodeBytes(signature); }
        catch (FormatException) { return null; }
        if (!CryptographicOperations.FixedTimeEquals(given, HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(payload)))) return null;
        var parts = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(payload)).Split('|', 2);
        return parts.Length == 2 && long.TryParse(parts[0], out var expires) && time.GetUtcNow().ToUnixTimeSeconds() < expires ? parts[1] : null;
    }
}

public static class JobDashboardSessionApi
{
    public static IEndpointRouteBuilder MapJobDashboardSession(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/jobs/dashboard-session", Open).WithTags("Security").WithName("OpenJobDashboard").RequireAuthorization(Policies.Administrator)
            .WithSummary("Administrators of the operating tenant: a 30-minute cookie for the job dashboard at /hangfire (a browser cannot send a bearer header when it navigates)");
        return app;
    }

    private static Results<NoContent, NotFound> Open(ClaimsPrincipal user, HttpContext http, JobDashboardSession sessions, IOptions<SecurityOptions> options, TimeProvider time)
    {
        // the dashboard shows every tenant's jobs: only the operating tenant's administrators (others: as if it did not exist)
        if (!user.HasClaim(Claims.Tenant, options.Value.OperatorTenant)) return TypedResults.NotFound();
        var expires = time.GetUtcNow() + JobDashboardSession.Lifetime;
        http.Response.Cookies.Append(JobDashboardSession.Cookie, sessions.Issue(AuditLog.UserOf(user), expires), new CookieOptions
        {
            Path = JobDashboardSession.Path, HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, MaxAge = JobDashboardSession.Lifetime, IsEssential = true,
        });
        return TypedResults.NoContent();
    }
}
