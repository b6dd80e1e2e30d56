using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Anb.BrowserTests.Infrastructure;

/// <summary>The REST API over HTTP, to set the scene the browser then looks at.</summary>
public sealed class ApiClient(HttpClient http) : IDisposable
{
    public const string Password = "s3cret-pass";

    /// <summary>A new player; returns their email and user id.</summary>
    public async Task<(string Email, string UserId)> SignUpAsync(string firstName, string lastName, string city)
    {
        var email = $"{firstName.ToLowerInvariant()}-{Guid.NewGuid():N}@example.com";
        var response = await http.PostAsJsonAsync("/api/auth/signup", new Dictionary<string, string>
        {
            ["first_name"] = firstName,
            ["last_name"] = lastName,
            ["email"] = email,
            ["password1"] = Password,
            ["password2"] = Password,
            ["city"] = city,
            ["country"] = "Colombia",
        });
        return (email, (string)(await ReadAsync(response))["user_id"]!);
    }

    public async Task<string> LogInAsync(string email)
    {
        var response = await http.PostAsJsonAsync("/api/auth/login", new Dictionary<string, string> { ["email"] = email, ["password"] = Password });
        return (string)(await ReadAsync(response))["access_token"]!;
    }

    /// <summary>A new player, logged in.</summary>
    public async Task<string> PlayerAsync(string firstName, string lastName, string city) =>
        await LogInAsync((await SignUpAsync(firstName, lastName, city)).Email);

    /// <summary>Uploads <paramref name="path"/>; returns the video id.</summary>
    public async Task<string> UploadAsync(string token, string path, string title)
    {
        using var form = new MultipartFormDataContent();
        var file = new StreamContent(File.OpenRead(path));
        file.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        form.Add(file, "video_file", Path.GetFileName(path));
        form.Add(new StringContent(title), "title");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/videos/upload") { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (string)(await ReadAsync(await http.SendAsync(request)))["task_id"]!;
    }

    public async Task<JsonObject> VideoAsync(string token, string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/videos/{id}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await ReadAsync(await http.SendAsync(request));
    }

    /// <summary>Waits until the worker has processed the video; returns its detail.</summary>
    public async Task<JsonObject> WaitProcessedAsync(string token, string id, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var detail = await VideoAsync(token, id);
            var status = (string?)detail["status"];
            if (status == "processed")
            {
                return detail;
            }

            Assert.True(status != "failed", $"Video failed: {detail["failure_reason"]}\n{diagnostics?.Invoke()}");
            Assert.True(DateTime.UtcNow < deadline, string.Create(CultureInfo.InvariantCulture, $"Still {status}.\n{diagnostics?.Invoke()}"));
            await Task.Delay(200);
        }
    }

    public async Task VoteAsync(string token, string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/public/videos/{id}/vote");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await EnsureAsync(await http.SendAsync(request));
    }

    public void Dispose() => http.Dispose();

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response)
    {
        await EnsureAsync(response);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static async Task EnsureAsync(HttpResponseMessage response) =>
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
}
