using System.Security.Claims;

namespace Survey.Api.Storage;

/// <summary>
/// Every stream and document belongs to a tenant (a brand). The tenant comes from the signed-in principal's
/// <c>tenant</c> claim (or, later, the API key), never from the request body; without one it is the default tenant.
/// </summary>
public sealed class Tenancy(IHttpContextAccessor http)
{
    public const string DefaultTenant = "default";
    public const string ClaimType = "tenant";

    public string TenantId =>
        http.HttpContext?.User.FindFirstValue(ClaimType) is { Length: > 0 } tenant ? tenant : DefaultTenant;
}
