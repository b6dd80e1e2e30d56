using Anb.Application;
using Anb.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Anb.IntegrationTests.Aws;

/// <summary>S3 and SQS settings are checked when a host starts, not when the first video arrives.</summary>
public sealed class AwsOptionsValidationTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["ConnectionStrings:Database"] = "Host=127.0.0.1;Database=unused",
        ["Storage:Provider"] = "S3",
        ["Storage:S3:BucketName"] = "anb-media",
        ["Storage:S3:Region"] = "us-east-1",
        ["Queue:Provider"] = "Sqs",
        ["Queue:Sqs:QueueUrl"] = "https://sqs.us-east-1.amazonaws.com/123456789012/anb-videos",
        ["Queue:Sqs:Region"] = "us-east-1",
    };

    [Fact]
    public async Task ValidSettings_LetTheHostStart()
    {
        using var host = Build([]);

        await host.StartAsync();
        await host.StopAsync();
    }

    [Theory]
    [InlineData("Storage:S3:BucketName", "", "BucketName")]
    [InlineData("Storage:S3:UrlLifetimeSeconds", "0", "UrlLifetimeSeconds")]
    [InlineData("Storage:S3:UrlLifetimeSeconds", "604801", "UrlLifetimeSeconds")]
    [InlineData("Storage:S3:ServiceUrl", "localhost:4566", "ServiceUrl")]
    [InlineData("Queue:Sqs:QueueUrl", "", "QueueUrl")]
    [InlineData("Queue:Sqs:QueueUrl", "anb-videos", "QueueUrl")]
    [InlineData("Queue:Sqs:MaxConcurrency", "0", "MaxConcurrency")]
    [InlineData("Queue:Sqs:WaitTimeSeconds", "21", "WaitTimeSeconds")]
    [InlineData("Queue:Sqs:VisibilityTimeoutSeconds", "2", "VisibilityTimeoutSeconds")]
    [InlineData("Queue:Sqs:MaxReceiveCount", "0", "MaxReceiveCount")]
    public async Task InvalidSetting_FailsAtStart(string key, string value, string named)
    {
        using var host = Build(new() { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    private static IHost Build(Dictionary<string, string?> overrides)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(Valid).AddInMemoryCollection(overrides);
        builder.Services.AddApplication().AddInfrastructure(builder.Configuration);
        return builder.Build();
    }
}
