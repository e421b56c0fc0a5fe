namespace Survey.Api.Privacy.Hardening;

/// <summary>
/// Headers on every answer: no MIME sniffing, a referrer policy, HSTS when the request came over HTTPS, and for the console's
/// pages a CSP without inline code that forbids framing. The hosted survey pages (<c>/s/...</c>) set their own, stricter CSP
/// (no framing either: the widget is a web component in the host page, never an iframe); the API reference (<c>/docs</c>) and
/// the job dashboard (<c>/hangfire</c>) are third-party pages with inline scripts and are left without a CSP.
/// </summary>
public static class SecurityHeaders
{
    public const string ConsoleCsp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

    /// <summary>The console's CSP; with an OpenID Connect sign-in it may also fetch from the authority (discovery, token endpoint).</summary>
    public static string ConsoleCspFor(string? authorityOrigin) =>
        authorityOrigin is null ? ConsoleCsp : ConsoleCsp.Replace("connect-src 'self';", $"connect-src 'self' {authorityOrigin};");

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        var consoleCsp = ConsoleCspFor(Security.ConsoleSignIn.AuthorityOrigin(
            app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Security.SecurityOptions>>().Value));
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                if (!headers.ContainsKey("Referrer-Policy")) headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                if (context.Request.IsHttps) headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
                var path = context.Request.Path;
                var html = context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true;
                if (html && !headers.ContainsKey("Content-Security-Policy") && !path.StartsWithSegments("/docs") && !path.StartsWithSegments("/hangfire"))
                {
                    headers.ContentSecurityPolicy = consoleCsp;
                    headers.XFrameOptions = "DENY";
                }
                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}
