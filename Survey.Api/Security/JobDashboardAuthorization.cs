using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace Survey.Api.Security;

/// <summary>
/// The Hangfire dashboard shows the jobs of every tenant, so it is for administrators of the operating tenant
/// (<c>Security:OperatorTenant</c>, "default" unless configured): signed in with a bearer token, or a browser holding the
/// dashboard session cookie one of them opened (<see cref="JobDashboardSession"/>).
/// </summary>
public sealed class JobDashboardAuthorization : IDashboardAsyncAuthorizationFilter
{
    public async Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (http.RequestServices.GetRequiredService<JobDashboardSession>().Verify(http.Request.Cookies[JobDashboardSession.Cookie]) is not null) return true;
        var result = await http.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        var operatorTenant = http.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.OperatorTenant;
        if (result.Succeeded) http.User = result.Principal;
        return result.Succeeded && result.Principal.IsInRole(Roles.Administrator) && result.Principal.HasClaim(Claims.Tenant, operatorTenant);
    }
}
