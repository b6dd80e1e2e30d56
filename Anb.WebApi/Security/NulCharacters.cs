using Anb.Application.Common.Messages;
using Anb.WebApi.Infrastructure;

namespace Anb.WebApi.Security;

/// <summary>
/// NUL characters, which no text the API keeps may hold (PostgreSQL's text cannot store them): a query
/// value with one is an invalid parameter, a JSON body with one a malformed request (see
/// <see cref="RequestBodyLimit"/>), the upload's title one too (<see cref="MultipartUpload"/>).
/// </summary>
internal static class NulCharacters
{
    private static readonly byte[] JsonEscape = "\\u0000"u8.ToArray();

    public static IApplicationBuilder UseNulCharacterRefusal(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.Request.Query.Any(p => p.Value.Any(v => In(v))))
            {
                await ProblemResponses.WriteAsync(context, StatusCodes.Status400BadRequest, ClientMessages.Queries.InvalidParameter);
                return;
            }

            await next(context);
        });

    public static bool In(string? text) => text?.Contains('\0', StringComparison.Ordinal) == true;

    /// <summary>The JSON escape of NUL or a raw NUL byte (which JSON does not allow anyway).</summary>
    public static bool InJson(ReadOnlySpan<byte> json) => json.Contains((byte)0) || json.IndexOf(JsonEscape) >= 0;
}
