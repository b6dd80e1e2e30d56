namespace Anb.Application.Videos.Common;

/// <summary>Client-facing messages of the video endpoints (the contract's language).</summary>
public static class VideoMessages
{
    public const string NotFound = "Video no encontrado.";
    public const string NotOwner = "No tienes permiso para acceder a este video.";
}
