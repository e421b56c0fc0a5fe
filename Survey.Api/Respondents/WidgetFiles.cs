using Microsoft.Extensions.FileProviders;

namespace Survey.Api.Respondents;

public static class WidgetFiles
{
    /// <summary>
    /// Serves the respondent bundles built by Survey.Widgets (copied to the output's widgets/ folder) from the web root:
    /// /widget/v1/loader.js and friends. They may be embedded by any site, so they carry a CORS header and cache for a short while.
    /// </summary>
    public static IApplicationBuilder UseWidgetFiles(this IApplicationBuilder app)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "widgets");
        if (!Directory.Exists(folder)) return app;
        return app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(folder),
            OnPrepareResponse = context =>
            {
                context.Context.Response.Headers.AccessControlAllowOrigin = "*";
                context.Context.Response.Headers.CacheControl = "public, max-age=300";
            },
        });
    }
}
