using System.Security.Claims;
using Survey.Domain.Common;

namespace Survey.Api.Storage;

/// <summary>
/// Every stream and document belongs to a tenant (a brand). The tenant comes only from the signed-in principal's
/// <c>tenant</c> claim or from the API key, never from the request body; there is no default. Public endpoints find their
/// tenant from the public address (token, link, widget key) and open sessions for it themselves.
/// </summary>
public sealed class Tenancy(IHttpContextAccessor http)
{
    /// <summary>The tenant of the development sign-in when none is asked for, and of installation-wide documents.</summary>
    public const string DefaultTenant = "default";
    public const string ClaimType = "tenant";

    public string TenantId =>
        http.HttpContext?.User.FindFirstValue(ClaimType) is { Length: > 0 } tenant
            ? tenant
            : throw new ForbiddenException("This call needs a sign-in (or API key) that names a tenant.");
}
