using System.Globalization;
using Anb.Domain.Common;

namespace Anb.Application.Common.Messages;

/// <summary>
/// Every message a client can read (the contract's Spanish texts), defined once. Handlers, validators
/// and the hosts take their texts from here; the tests assert against the same constants.
/// </summary>
public static class ClientMessages
{
    public static class Auth
    {
        public const string UserCreated = "Usuario creado exitosamente.";
        public const string DuplicateEmail = "El email ya está registrado.";
        public const string InvalidEmail = "El email no tiene un formato válido.";
        public const string PasswordsDiffer = "Las contraseñas no coinciden.";
        public const string InvalidCredentials = "Credenciales inválidas.";

        public static string PasswordTooShort(int min) => Format($"La contraseña debe tener al menos {min} caracteres.");
    }

    public static class Fields
    {
        public static string Required(string field) => $"El campo {field} es obligatorio.";

        public static string TooLong(string field, int max) => Format($"El campo {field} no puede superar {max} caracteres.");
    }

    public static class Upload
    {
        public const string Accepted = "Video subido correctamente. Procesamiento en curso.";
        public const string FileRequired = "El campo video_file es obligatorio.";
        public const string TitleRequired = "El campo title es obligatorio.";
        public const string TitleLength = "El título debe tener entre 1 y 200 caracteres.";
        public const string NotMp4 = "El archivo debe ser un video MP4 válido.";
        public const string Codec = "El video debe estar codificado en H.264 o HEVC.";
        public const string NotMultipart = "La solicitud debe ser multipart/form-data con los campos video_file y title.";
        public const string StorageUnavailable = "No se pudo guardar el video. Intenta de nuevo más tarde.";

        public static string TooLarge(long maxBytes) => Format($"El archivo supera el tamaño máximo de {maxBytes / (1024 * 1024)} MB.");

        public static string Duration(int min, int max) => Format($"La duración del video debe estar entre {min} y {max} segundos.");

        public static string Resolution(int minShortSide) => Format($"La resolución mínima del video es {minShortSide}p.");
    }

    public static class Videos
    {
        public const string NotFound = "Video no encontrado.";
        public const string NotOwner = "No tienes permiso para acceder a este video.";
        public const string Deleted = "El video ha sido eliminado exitosamente.";
        public const string AlreadyPublic = "El video ya está publicado y no puede ser eliminado.";
        public const string NotOpenForVoting = "El video no está disponible para votación.";
        public const string OwnVideoVote = "No puedes votar por tu propio video.";
        public const string VoteRecorded = "Voto registrado exitosamente.";
        public const string AlreadyVoted = "Ya has votado por este video.";

        public static string TitleTooLong(int max) => Format($"El título no puede superar {max} caracteres.");
    }

    /// <summary>The <c>failure_reason</c> a player reads on a video that could not be processed.</summary>
    public static class Processing
    {
        public const string OriginalMissing = "No se encontró el archivo original.";
        public const string InternalError = "Error interno al procesar el video.";
        public const string TimedOut = "El procesamiento no terminó a tiempo.";
        public const string TimeLimitExceeded = "El procesamiento del video superó el tiempo máximo permitido.";

        public static string DecodedTooShort(int minSeconds) =>
            Format($"El video dura menos de {minSeconds} segundos, aunque su encabezado indique más.");

        public static string DecodedTooSmall(int minShortSide) =>
            Format($"La resolución real del video es menor que {minShortSide}p, aunque su encabezado indique más.");

        public static string TranscodingFailed(string reason) => $"No se pudo procesar el video: {reason}";
    }

    public static class Queries
    {
        public const string InvalidParameter = "Parámetro inválido en la consulta.";
    }

    /// <summary>Answers of the web host itself (authentication, routing, malformed requests, download links).</summary>
    public static class Http
    {
        public const string Unauthenticated = "Se requiere un token de acceso válido.";
        public const string MalformedRequest = "La solicitud no es válida.";
        public const string InternalError = "Ocurrió un error inesperado. Intenta de nuevo más tarde.";
        public const string RouteNotFound = "El recurso solicitado no existe.";
        public const string MethodNotAllowed = "Método no permitido para este recurso.";
        public const string JsonRequired = "El cuerpo debe enviarse como application/json.";
        public const string InvalidDownloadLink = "El enlace de descarga no es válido o ha vencido.";
        public const string ServiceUnavailable = "El servicio no está disponible en este momento. Intenta de nuevo más tarde.";
        public const string TooManyRequests = "Demasiadas solicitudes. Intenta de nuevo más tarde.";

        public static string BodyTooLarge(int maxBytes) => Format($"El cuerpo de la solicitud supera el tamaño máximo de {maxBytes / 1024} KB.");
    }

    /// <summary>The message a broken domain rule becomes.</summary>
    public static string For(DomainRule rule) => rule switch
    {
        DomainRule.TitleTooLong => Videos.TitleTooLong(Anb.Domain.Videos.Video.MaxTitleLength),
        DomainRule.VideoAlreadyPublic => Videos.AlreadyPublic,
        DomainRule.VideoNotOpenForVoting => Videos.NotOpenForVoting,
        DomainRule.OwnVideoVote => Videos.OwnVideoVote,
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "No client message for this rule."),
    };

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
