using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.Application.Videos.UploadVideo;
using Anb.WebApi.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Anb.WebApi.Infrastructure;

/// <summary>
/// Streams a multipart upload to a temporary file without holding it in memory, and stops reading as
/// soon as the file passes the size limit. It checks nothing else (but a title with a NUL character, which
/// cannot be stored): the upload's rules are the validator's. Disposing deletes the temporary file.
/// </summary>
internal sealed class MultipartUpload : IAsyncDisposable
{
    public const string FileField = "video_file";
    public const string TitleField = "title";

    // The title field is read into memory up to this many bytes; anything longer is far over the title's
    // limit anyway (at most 4 bytes a character), so it is cut here and refused by the validator.
    private const int MaxTitleBytes = 4096;
    private const long MultipartOverheadBytes = 64 * 1024;

    // RFC 2046 allows boundaries of 1 to 70 characters; a longer one (the reader's buffer must hold it) is refused.
    private const int MaxBoundaryLength = 70;

    // MultipartReader's default buffer is 4 KB, and each read of a section returns at most one buffer: a
    // 4 MB file took ~1,000 reads and as many file writes. 64 KB chunks cut that to ~64.
    private const int ChunkBytes = 64 * 1024;

    private MultipartUpload(string? title, string? filePath, long fileSize)
    {
        Title = title;
        FilePath = filePath;
        FileSize = fileSize;
    }

    public string? Title { get; }

    public string? FilePath { get; }

    public long FileSize { get; }

    public static async Task<MultipartUpload> ReadAsync(HttpRequest request, long maxBytes, string spoolFolder, CancellationToken cancellationToken)
    {
        var sizeLimit = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeLimit is { IsReadOnly: false })
        {
            sizeLimit.MaxRequestBodySize = maxBytes + MultipartOverheadBytes;
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 and <= MaxBoundaryLength } boundary)
        {
            throw new RequestValidationException(ClientMessages.Upload.NotMultipart);
        }

        string? title = null, filePath = null;
        long fileSize = 0;
        try
        {
            var reader = new MultipartReader(boundary, request.Body, ChunkBytes);
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                {
                    continue;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (name == FileField && filePath is null && disposition.IsFileDisposition())
                {
                    filePath = NewSpoolPath(spoolFolder);
                    fileSize = await SpoolAsync(section.Body, filePath, maxBytes, cancellationToken);
                }
                else if (name == TitleField && title is null)
                {
                    title = await ReadTextAsync(section.Body, cancellationToken);
                }
                else
                {
                    await section.Body.CopyToAsync(Stream.Null, cancellationToken);
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            Delete(filePath);
            throw new RequestValidationException(ClientMessages.Upload.TooLarge(maxBytes)) { Code = UploadRefusalReasons.TooLarge };
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            Delete(filePath);
            throw new RequestValidationException(ClientMessages.Upload.NotMultipart);
        }
        catch
        {
            Delete(filePath);
            throw;
        }

        if (NulCharacters.In(title))
        {
            Delete(filePath);
            throw new RequestValidationException(ClientMessages.Http.MalformedRequest);
        }

        return new MultipartUpload(title, filePath, fileSize);
    }

    public ValueTask DisposeAsync()
    {
        Delete(FilePath);
        return ValueTask.CompletedTask;
    }

    private static async Task<long> SpoolAsync(Stream body, string path, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkBytes];
        long total = 0;
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true);
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                throw new BadHttpRequestException("File over the limit.", StatusCodes.Status413PayloadTooLarge);
            }

            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return total;
    }

    // Reads at most MaxTitleBytes; the reader skips the rest of the field when it moves to the next one.
    private static async Task<string> ReadTextAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxTitleBytes];
        int length = 0, read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static string NewSpoolPath(string folder)
    {
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $"{Guid.NewGuid():N}.upload");
    }

    private static void Delete(string? path)
    {
        if (path is not null)
        {
            File.Delete(path);
        }
    }
}
