namespace Anb.Application.Videos.UploadVideo;

public static class UploadMessages
{
    public const string FileRequired = "El campo video_file es obligatorio.";
    public const string TitleRequired = "El campo title es obligatorio.";
    public const string TitleLength = "El título debe tener entre 1 y 200 caracteres.";
    public const string NotMp4 = "El archivo debe ser un video MP4 válido.";
    public const string NotMultipart = "La solicitud debe ser multipart/form-data con los campos video_file y title.";
    public const string StorageUnavailable = "No se pudo guardar el video. Intenta de nuevo más tarde.";

    public static string TooLarge(long maxBytes) => $"El archivo supera el tamaño máximo de {maxBytes / (1024 * 1024)} MB.";

    public static string Duration(int min, int max) => $"La duración del video debe estar entre {min} y {max} segundos.";

    public static string Resolution(int minShortSide) => $"La resolución mínima del video es {minShortSide}p.";
}
