using System.Globalization;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;

namespace Anb.WebApi.Infrastructure;

/// <summary>Reads numeric query parameters so that a malformed value gets the contract's 400 message.</summary>
internal static class QueryParameters
{
    public static int ParseInt(string? value, int defaultValue) =>
        value is null ? defaultValue
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : throw new RequestValidationException(ClientMessages.Queries.InvalidParameter);
}
