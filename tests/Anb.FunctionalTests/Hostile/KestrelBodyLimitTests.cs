using System.Net;
using System.Net.Sockets;
using System.Text;
using Anb.FunctionalTests.Infrastructure;

namespace Anb.FunctionalTests.Hostile;

/// <summary>
/// Huge bodies over a real socket (Kestrel, not the in-memory test server): the client gets the 413
/// problem details, never a reset before the answer or a 500, and the server keeps serving. The server
/// reads no more than the limit, so it closes the connection after answering: a client that reads the
/// answer while it sends (curl, browsers) gets it; one that only reads after sending (.NET's HttpClient)
/// sees the connection closed under its writes.
/// </summary>
public sealed class KestrelBodyLimitTests(KestrelBodyLimitTests.Host host) : IClassFixture<KestrelBodyLimitTests.Host>
{
    private const int Port = 18352;
    private const int ThirtyMegabytes = 30 * 1024 * 1024;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ThirtyMegabyteJsonBody_ClientThatSendsItAll_ReadsThe413(bool chunked)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Port);
        var stream = tcp.GetStream();
        var framing = chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {ThirtyMegabytes}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /api/auth/signup HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n{framing}\r\n\r\n"));
        var answer = ReadToEndAsync(stream);

        // Like curl: keep sending until the body is out or the server has answered and stopped reading.
        var chunk = new byte[64 * 1024];
        var frame = chunked ? [.. Encoding.ASCII.GetBytes($"{chunk.Length:X}\r\n"), .. chunk, .. "\r\n"u8] : chunk;
        try
        {
            for (var sent = 0; sent < ThirtyMegabytes && !answer.IsCompleted; sent += chunk.Length)
            {
                await stream.WriteAsync(frame);
            }
        }
        catch (IOException)
        {
        }

        var text = await answer.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.StartsWith("HTTP/1.1 413", text, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/problem+json", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"status\":413", text, StringComparison.Ordinal);
        await AssertServingAsync();
    }

    private static async Task<string> ReadToEndAsync(NetworkStream stream)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
        }

        return Encoding.UTF8.GetString(received.ToArray());
    }

    private async Task AssertServingAsync()
    {
        using var next = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await next.GetAsync("/health/ready")).StatusCode);
    }

    /// <summary>The API on Kestrel, on a port of this test's range.</summary>
    public sealed class Host : AnbApiFactory
    {
        public Host() => UseKestrel(Port);
    }
}
