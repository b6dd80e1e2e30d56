using System.Reflection;
using Anb.Application;
using Anb.Domain.Videos;
using Anb.Infrastructure;
using NetArchTest.Rules;

namespace Anb.ArchitectureTests;

public sealed class LayerTests
{
    private static readonly Assembly Domain = typeof(Video).Assembly;
    private static readonly Assembly Application = typeof(Anb.Application.DependencyInjection).Assembly;
    private static readonly Assembly Infrastructure = typeof(Anb.Infrastructure.DependencyInjection).Assembly;

    /// <summary>Technologies that belong in Infrastructure only.</summary>
    private static readonly string[] InfrastructureTechnologies =
    [
        "Microsoft.EntityFrameworkCore", "Npgsql", "Amazon", "AWSSDK", "FFMpegCore", "Hangfire",
        "Microsoft.AspNetCore", "OpenTelemetry",
    ];

    [Fact]
    public void Domain_DependsOnNothingButTheRuntime()
    {
        var references = Domain.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        var foreign = references.Where(n => !(n.StartsWith("System", StringComparison.Ordinal) || n is "netstandard" or "mscorlib")).ToList();
        Assert.True(foreign.Count == 0, $"Anb.Domain must depend on nothing, but references: {string.Join(", ", foreign)}");
        AssertNoDependency(Domain, ["Anb.Application", "Anb.Infrastructure", "Anb.WebApi", "Anb.WorkerHost", "Mediator", "FluentValidation"]);
    }

    [Fact]
    public void Application_HasNoInfrastructureTechnology()
    {
        AssertNoDependency(Application, InfrastructureTechnologies);
        AssertNoAssemblyReference(Application, InfrastructureTechnologies);
        AssertNoDependency(Application, ["Anb.Infrastructure", "Anb.WebApi", "Anb.WorkerHost"]);
    }

    [Fact]
    public void InfrastructureRule_FlagsAnAssemblyThatUsesEfCoreOrAws()
    {
        // The rule above, pointed at an assembly that does use these technologies, must fail and say where.
        var result = Types.InAssembly(Infrastructure).ShouldNot().HaveDependencyOnAny(InfrastructureTechnologies).GetResult();

        Assert.False(result.IsSuccessful);
        var message = FailureMessage(Infrastructure, InfrastructureTechnologies, result);
        Assert.Contains("Anb.Infrastructure.Persistence.AnbDbContext", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Infrastructure_DoesNotDependOnHosts() =>
        AssertNoDependency(Infrastructure, ["Anb.WebApi", "Anb.WorkerHost"]);

    private static void AssertNoDependency(Assembly assembly, string[] forbidden)
    {
        var result = Types.InAssembly(assembly).ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        Assert.True(result.IsSuccessful, FailureMessage(assembly, forbidden, result));
    }

    private static void AssertNoAssemblyReference(Assembly assembly, string[] forbidden)
    {
        var found = assembly.GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => forbidden.Any(f => n.StartsWith(f, StringComparison.Ordinal))).ToList();
        Assert.True(found.Count == 0, $"{assembly.GetName().Name} must not reference {string.Join(", ", found)}");
    }

    private static string FailureMessage(Assembly assembly, string[] forbidden, TestResult result) =>
        $"{assembly.GetName().Name} must not depend on [{string.Join(", ", forbidden)}]; offending types: "
        + string.Join(", ", result.FailingTypeNames ?? []);
}
