using System.Net.Http.Headers;

namespace Anb.FunctionalTests.Infrastructure;

public static class Uploads
{
    /// <summary>POSTs a multipart upload the way the web front end does.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(this HttpClient client, string? filePath, string? title = "Mi mejor jugada", string fileName = "clip.mp4")
    {
        using var form = new MultipartFormDataContent();
        if (title is not null)
        {
            form.Add(new StringContent(title), "title");
        }

        if (filePath is not null)
        {
            var file = new StreamContent(File.OpenRead(filePath));
            file.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
            form.Add(file, "video_file", fileName);
        }

        return await client.PostAsync("/api/videos/upload", form);
    }
}
