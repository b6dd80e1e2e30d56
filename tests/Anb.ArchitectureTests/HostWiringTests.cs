using System.Text.Json;
using Anb.Application.Abstractions;
using Anb.Application.Auth.LogIn;
using Anb.Application.Auth.SignUp;
using Anb.Application.Public.CastVote;
using Anb.Application.Public.GetRankings;
using Anb.Application.Public.ListPublicVideos;
using Anb.Application.Videos.DeleteOrphanedOriginals;
using Anb.Application.Videos.DeleteVideo;
using Anb.Application.Videos.GetMyVideo;
using Anb.Application.Videos.ListMyVideos;
using Anb.Application.Videos.ProcessVideo;
using Anb.Application.Videos.RecoverStaleVideos;
using Anb.Application.Videos.UploadVideo;
using Anb.WebApi;
using Anb.WorkerHost;
using FluentValidation;
using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Anb.ArchitectureTests;

/// <summary>
/// Each host registers what it runs and nothing of the other's: the API has no transcoder, the worker no
/// accounts or upload probe; every message a host sends resolves with its handler and validators; each
/// host's appsettings.json lists only settings that host reads.
/// </summary>
public sealed class HostWiringTests
{
    private static readonly Type[] ApiMessages =
    [
        typeof(SignUpCommand), typeof(LogInCommand), typeof(UploadVideoCommand), typeof(ListMyVideosQuery), typeof(GetMyVideoQuery),
        typeof(DeleteVideoCommand), typeof(ListPublicVideosQuery), typeof(CastVoteCommand), typeof(GetRankingsQuery),
    ];

    private static readonly Type[] WorkerMessages = [typeof(ProcessVideoCommand), typeof(RecoverStaleVideosCommand), typeof(DeleteOrphanedOriginalsCommand)];

    public static TheoryData<string, string> Adapters() => new() { { "Local", "Hangfire" }, { "S3", "Sqs" } };

    [Theory]
    [MemberData(nameof(Adapters))]
    public void Api_ResolvesEveryMessageItSends(string storage, string queue)
    {
        var services = ApiServices(storage, queue);

        AssertResolves(services, ApiMessages, hangfire: queue == "Hangfire");
    }

    [Theory]
    [MemberData(nameof(Adapters))]
    public void Worker_ResolvesEveryMessageItSends(string storage, string queue)
    {
        var services = WorkerServices(storage, queue);

        AssertResolves(services, WorkerMessages, hangfire: queue == "Hangfire");
    }

    [Fact]
    public void Api_RegistersNoWorkerAdapter()
    {
        var services = ApiServices("Local", "Sqs");

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IVideoTranscoder) || d.ServiceType == typeof(IScratchSpace));
        Assert.DoesNotContain(services, d => d.ServiceType.Name.Contains("TranscoderOptions", StringComparison.Ordinal)
            || d.ServiceType.GenericTypeArguments.Any(a => a.Name == "TranscoderOptions"));
        Assert.DoesNotContain(services, d => d.ImplementationType?.Name == "SqsVideoQueueConsumer");
    }

    [Fact]
    public void Worker_RegistersNoApiAdapter()
    {
        var services = WorkerServices("Local", "Sqs");

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(IVideoProbe)
            || d.ServiceType == typeof(IAccessTokenIssuer)
            || d.ServiceType == typeof(IPasswordHasher)
            || d.ServiceType == typeof(IShowcaseReader)
            || d.ServiceType == typeof(IUserRepository)
            || d.ServiceType == typeof(IVoteRepository));
    }

    [Theory]
    [InlineData("Anb.WebApi")]
    [InlineData("Anb.WorkerHost")]
    public void AppSettings_ListOnlySettingsTheHostReads(string host)
    {
        var read = Adapters()
            .SelectMany(a => host == "Anb.WebApi" ? ApiServices((string)a[0], (string)a[1]) : WorkerServices((string)a[0], (string)a[1]))
            .Select(d => d.ServiceType)
            .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IValidateOptions<>))
            .Select(t => t.GenericTypeArguments[0])
            .Where(OptionsConventions.IsOptionsClass)
            .SelectMany(t => t.GetProperties().Select(p => $"{OptionsConventions.SectionName(t)}:{p.Name}"))
            .Append("ConnectionStrings:Database")
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        var listed = Settings(Path.Combine(RepositoryRoot(), host, "appsettings.json"));

        var unread = listed.Where(k => !read.Contains(k)).ToList();
        Assert.True(unread.Count == 0, $"{host}/appsettings.json lists settings the host never reads: {string.Join(", ", unread)}");
    }

    private static IServiceCollection ApiServices(string storage, string queue)
    {
        var services = Base(storage, queue, "Production");
        services.AddApiHost(services.BuildServiceProvider().GetRequiredService<IConfiguration>());
        return services;
    }

    private static IServiceCollection WorkerServices(string storage, string queue)
    {
        var services = Base(storage, queue, "Production");
        services.AddWorkerHost(services.BuildServiceProvider().GetRequiredService<IConfiguration>());
        return services;
    }

    private static ServiceCollection Base(string storage, string queue, string environment)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = "Host=127.0.0.1;Port=1;Database=wiring;Username=nobody",
            ["Jwt:SigningKey"] = "wiring-tests-signing-key-0123456789abcdef",
            ["Storage:Provider"] = storage,
            ["Storage:Local:RootPath"] = Path.Combine(Path.GetTempPath(), "anb-wiring"),
            ["Storage:S3:BucketName"] = "wiring",
            ["Storage:S3:ServiceUrl"] = "http://127.0.0.1:9",
            ["Queue:Provider"] = queue,
            ["Queue:Sqs:QueueUrl"] = "http://127.0.0.1:9/123456789012/wiring",
            ["Queue:Sqs:ServiceUrl"] = "http://127.0.0.1:9",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IHostEnvironment>(new WiringEnvironment(environment));
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        return services;
    }

    // Hangfire's storage opens the database when it is built, so with Hangfire only the registrations are checked.
    private static void AssertResolves(IServiceCollection services, Type[] messages, bool hangfire)
    {
        foreach (var message in messages)
        {
            var handlerType = HandlerType(message);
            Assert.True(services.Any(d => d.ServiceType == handlerType), $"No handler registered for {message.Name}.");
        }

        if (hangfire)
        {
            return;
        }

        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        using var scope = provider.CreateScope();
        foreach (var message in messages)
        {
            Assert.NotNull(scope.ServiceProvider.GetRequiredService(HandlerType(message)));
            _ = scope.ServiceProvider.GetServices(typeof(IValidator<>).MakeGenericType(message)).ToList();
        }

        Assert.NotNull(scope.ServiceProvider.GetRequiredService<IMediator>());
    }

    private static Type HandlerType(Type message)
    {
        var contract = message.GetInterfaces().First(i => i.IsGenericType
            && (i.GetGenericTypeDefinition() == typeof(ICommand<>) || i.GetGenericTypeDefinition() == typeof(IQuery<>)));
        var handler = contract.GetGenericTypeDefinition() == typeof(ICommand<>) ? typeof(ICommandHandler<,>) : typeof(IQueryHandler<,>);
        return handler.MakeGenericType(message, contract.GenericTypeArguments[0]);
    }

    private static List<string> Settings(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var keys = new List<string>();
        Flatten(document.RootElement, prefix: null, keys);
        return keys.Where(k => !k.StartsWith("Logging:", StringComparison.Ordinal) && k != "AllowedHosts").ToList();
    }

    private static void Flatten(JsonElement element, string? prefix, List<string> keys)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            keys.Add(prefix!);
            return;
        }

        foreach (var property in element.EnumerateObject())
        {
            Flatten(property.Value, prefix is null ? property.Name : $"{prefix}:{property.Name}", keys);
        }
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Anb.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Anb.sln not found above the test folder.");
    }

    private sealed class WiringEnvironment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "wiring";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } =
            new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
