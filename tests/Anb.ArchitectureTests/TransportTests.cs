using Anb.Application;
using Anb.Application.Videos.UploadVideo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NetArchTest.Rules;

namespace Anb.ArchitectureTests;

/// <summary>The Application layer speaks no transport and knows no host folder; it owns and checks its settings.</summary>
public sealed class TransportTests
{
    private static readonly string[] Transport = ["System.Text.Json", "Microsoft.AspNetCore", "System.Net.Http"];

    /// <summary>Members that name a folder of the machine the code runs on.</summary>
    private static readonly string[] HostFolderMembers =
    [
        "System.IO.Path::GetTempPath", "System.IO.Path::GetTempFileName", "System.AppContext::get_BaseDirectory",
        "System.Environment::get_CurrentDirectory", "System.IO.Directory::CreateDirectory", "System.IO.Directory::Delete",
    ];

    [Fact]
    public void Application_HasNoJsonOrHttpTypes()
    {
        var result = Types.InAssembly(ProductionAssemblies.Application).ShouldNot().HaveDependencyOnAny(Transport).GetResult();

        Assert.True(result.IsSuccessful, "Anb.Application must not use JSON or HTTP types: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void TransportRule_FlagsTheWebHost() =>
        Assert.False(Types.InAssembly(ProductionAssemblies.WebApi).ShouldNot().HaveDependencyOnAny(Transport).GetResult().IsSuccessful);

    [Fact]
    public void Application_UsesNoHostFolder() =>
        Assert.Empty(HostFolderUses(ProductionAssemblies.Application));

    [Fact]
    public void HostFolderRule_FlagsTheScratchAdapter() =>
        Assert.Contains(HostFolderUses(ProductionAssemblies.Infrastructure), c => c.Contains("LocalScratchSpace", StringComparison.Ordinal));

    [Fact]
    public void AddApplication_RegistersAndValidatesEveryOptionsClassOfTheApplication()
    {
        var services = new ServiceCollection().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build()).AddApplication();

        var optionsTypes = ProductionAssemblies.Application.GetTypes().Where(OptionsConventions.IsOptionsClass).ToList();

        Assert.NotEmpty(optionsTypes);
        foreach (var type in optionsTypes)
        {
            Assert.True(
                services.Any(d => d.ServiceType == typeof(IValidateOptions<>).MakeGenericType(type)),
                $"AddApplication() must register a validator for {type.Name}.");
        }
    }

    [Fact]
    public void AddApplication_InvalidUploadSetting_FailsWhenRead()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Upload:MinDurationSeconds"] = "90", ["Upload:MaxDurationSeconds"] = "60" })
            .Build();
        using var provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddApplication()
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<UploadOptions>>().Value);

        Assert.Contains("MinDurationSeconds", error.Message, StringComparison.Ordinal);
    }

    private static List<string> HostFolderUses(System.Reflection.Assembly assembly) =>
        ProductionAssemblies.Calls(assembly)
            .Where(c => HostFolderMembers.Contains(c.Callee))
            .Select(c => $"{c.Caller} -> {c.Callee}")
            .Distinct()
            .ToList();
}
