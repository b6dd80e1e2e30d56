namespace Anb.WebApi.Infrastructure;

/// <summary>Writes RFC 9457 problem details with the contract's <c>detail</c> message.</summary>
internal static class ProblemResponses
{
    public const string UnauthenticatedMessage = "Se requiere un token de acceso válido.";
    public const string MalformedRequestMessage = "La solicitud no es válida.";
    public const string InternalErrorMessage = "Ocurrió un error inesperado. Intenta de nuevo más tarde.";

    /// <summary>Gives the framework's own answers (404, 405, 415...) a human <c>detail</c> too.</summary>
    public static void AddDefaultDetail(ProblemDetailsContext context) =>
        context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
        {
            StatusCodes.Status404NotFound => "El recurso solicitado no existe.",
            StatusCodes.Status405MethodNotAllowed => "Método no permitido para este recurso.",
            StatusCodes.Status415UnsupportedMediaType => "El cuerpo debe enviarse como application/json.",
            StatusCodes.Status401Unauthorized => UnauthenticatedMessage,
            >= 500 => InternalErrorMessage,
            _ => MalformedRequestMessage,
        };

    public static async ValueTask WriteAsync(
        HttpContext context,
        int status,
        string detail,
        IDictionary<string, object?>? extensions = null)
    {
        context.Response.StatusCode = status;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Detail = detail };
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                problem.Extensions[key] = value;
            }
        }

        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await service.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
