using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.S3;
using Amazon.SQS;
using Amazon.SQS.Model;
using Anb.Infrastructure.Queue;
using Anb.Infrastructure.Storage;

namespace Anb.Tests.Shared;

/// <summary>
/// S3 and SQS on loopback: the <c>moto_server</c> that ./test.sh started (ANB_TEST_AWS_ENDPOINT), or one
/// started here on a free port and stopped afterwards. Sets fake credentials for the whole test process.
/// </summary>
public sealed class MotoServerFixture : IAsyncLifetime
{
    public const string Region = "us-east-1";

    private Process? server;
    private readonly List<string> serverOutput = [];

    public string EndpointUrl { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "test");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "test");
        Environment.SetEnvironmentVariable("AWS_REGION", Region);
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");

        var configured = Environment.GetEnvironmentVariable("ANB_TEST_AWS_ENDPOINT");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            EndpointUrl = configured.TrimEnd('/');
        }
        else
        {
            var port = FreePort();
            EndpointUrl = $"http://127.0.0.1:{port}";
            server = StartServer(port);
        }

        await WaitUntilAnsweringAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        if (server is null)
        {
            return;
        }

        if (!server.HasExited)
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        server.Dispose();
    }

    public S3StorageOptions S3Options(string bucket, string keyPrefix = "", int urlLifetimeSeconds = 900) => new()
    {
        BucketName = bucket,
        Region = Region,
        ServiceUrl = EndpointUrl,
        ForcePathStyle = true,
        KeyPrefix = keyPrefix,
        UrlLifetimeSeconds = urlLifetimeSeconds,
    };

    public AmazonS3Client CreateS3Client() => StorageRegistration.CreateClient(S3Options("unused"));

    public AmazonSQSClient CreateSqsClient() => QueueRegistration.CreateSqsClient(new SqsQueueOptions { Region = Region, ServiceUrl = EndpointUrl });

    public async Task<string> CreateBucketAsync(string purpose)
    {
        var name = $"anb-{purpose}-{Guid.NewGuid():N}";
        using var s3 = CreateS3Client();
        await s3.PutBucketAsync(name);
        return name;
    }

    public async Task<string> CreateQueueAsync(string purpose, Dictionary<string, string>? attributes = null)
    {
        using var sqs = CreateSqsClient();
        var response = await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = $"anb-{purpose}-{Guid.NewGuid():N}", Attributes = attributes });
        return response.QueueUrl;
    }

    private Process StartServer(int port)
    {
        var info = new ProcessStartInfo("moto_server")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add("-H");
        info.ArgumentList.Add("127.0.0.1");
        info.ArgumentList.Add("-p");
        info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = Process.Start(info) ?? throw new InvalidOperationException("moto_server did not start.");
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (serverOutput)
        {
            serverOutput.Add(line);
            if (serverOutput.Count > 50)
            {
                serverOutput.RemoveAt(0);
            }
        }
    }

    private async Task WaitUntilAnsweringAsync(TimeSpan limit)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"{EndpointUrl}/moto-api/"));
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                if (DateTime.UtcNow > deadline || server is { HasExited: true })
                {
                    string output;
                    lock (serverOutput)
                    {
                        output = string.Join('\n', serverOutput);
                    }

                    throw new InvalidOperationException($"moto_server at {EndpointUrl} does not answer.\n{output}", ex);
                }

                await Task.Delay(200);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
