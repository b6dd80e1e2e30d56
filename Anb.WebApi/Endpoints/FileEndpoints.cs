using Anb.Application.Common.Messages;
using Anb.Infrastructure.Storage;
using Anb.WebApi.Security;

namespace Anb.WebApi.Endpoints;

/// <summary>Serves the signed, expiring download links of the local storage adapter.</summary>
internal static class FileEndpoints
{
    public static IEndpointRouteBuilder MapFileEndpoints(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<LocalFileStorage>() is not null)
        {
            app.MapGet($"{LocalFileStorage.FilesRoute}/{{**key}}", Download).WithNoStore().ExcludeFromDescription();
        }

        return app;
    }

    private static IResult Download(string key, long? expires, string? signature, LocalFileStorage storage) =>
        storage.ResolveSignedLink(key, expires ?? 0, signature) is { } path && File.Exists(path)
            ? TypedResults.PhysicalFile(path, ContentTypeOf(key), enableRangeProcessing: true)
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, detail: ClientMessages.Http.InvalidDownloadLink);

    /// <summary>The stored objects are videos and their posters.</summary>
    private static string ContentTypeOf(string key) =>
        key.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) ? "image/jpeg" : "video/mp4";
}
