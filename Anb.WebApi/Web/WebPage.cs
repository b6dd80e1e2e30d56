using Anb.Application.Common.Options;
using Microsoft.Extensions.Options;

namespace Anb.WebApi.Web;

/// <summary>
/// The web page: the static files of <c>wwwroot</c> (compressed at build time, with ETags and fingerprinted
/// names) at <c>/</c>, and the Content-Security-Policy of its document.
/// </summary>
internal static class WebPage
{
    private const string Document = "/index.html";

    /// <summary>Its settings.</summary>
    public static IServiceCollection AddWebPage(this IServiceCollection services)
    {
        services.AddValidatedOptions<WebPageOptions>(WebPageOptions.SectionName);
        return services;
    }

    /// <summary>
    /// Its files from the build output too (<c>./run.sh</c>, the tests), not only from a publish, and served there
    /// as published: the build's compressed copies and cache headers, no re-reading of edited files (rebuild).
    /// </summary>
    public static WebApplicationBuilder ServeWebPageFromBuildOutput(this WebApplicationBuilder builder)
    {
        builder.WebHost.UseStaticWebAssets();
        builder.Configuration.AddInMemoryCollection([new("ReloadStaticAssetsAtRuntime", "false")]);
        return builder;
    }

    /// <summary>
    /// <c>/</c> answers with <c>index.html</c>; the page's documents (its fingerprinted copy too) alone carry its
    /// CSP (the API's JSON and the <c>/docs</c> UI keep their own headers); then the static files' endpoints.
    /// </summary>
    public static WebApplication UseWebPage(this WebApplication app)
    {
        var policy = ContentSecurityPolicy(app.Services.GetRequiredService<IOptions<WebPageOptions>>().Value);
        app.Use((context, next) =>
        {
            if (context.Request.Path == "/")
            {
                context.Request.Path = Document;
            }

            if (context.Request.Path.Value is { } path && path.LastIndexOf('/') == 0 && path.EndsWith(".html", StringComparison.Ordinal))
            {
                context.Response.Headers.ContentSecurityPolicy = policy;
            }

            return next(context);
        });
        app.UseRouting();
        app.MapStaticAssets();
        return app;
    }

    /// <summary>Scripts, styles and API calls from the page's own origin only; posters and videos also from the file hosts.</summary>
    public static string ContentSecurityPolicy(WebPageOptions options)
    {
        var media = string.Join(' ', ["'self'", .. options.ParseMediaSources()]);
        return $"default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src {media} data:; "
            + $"media-src {media} blob:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }
}
