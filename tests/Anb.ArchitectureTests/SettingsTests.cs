namespace Anb.ArchitectureTests;

/// <summary>Settings are read through options classes only, never by key from <c>IConfiguration</c>.</summary>
public sealed class SettingsTests
{
    private static readonly string[] ReadsByKey =
    [
        "Microsoft.Extensions.Configuration.IConfiguration::get_Item",
        "Microsoft.Extensions.Configuration.ConfigurationBinder::GetValue",
        "Microsoft.Extensions.Configuration.ConfigurationExtensions::GetConnectionString",
    ];

    /// <summary>The one place a setting is read by key: the connection string, bound into DatabaseOptions.</summary>
    private const string ConnectionStringBinding = "Anb.Infrastructure.Persistence.PersistenceRegistration";

    [Fact]
    public void ProductionCode_ReadsNoSettingByKey()
    {
        var reads = ProductionAssemblies.All
            .SelectMany(ProductionAssemblies.Calls)
            .Where(c => ReadsByKey.Contains(c.Callee) && c.Caller != ConnectionStringBinding)
            .Select(c => $"{c.Caller} -> {c.Callee}")
            .Distinct()
            .ToList();

        Assert.True(reads.Count == 0, "Read settings through an options class: " + string.Join("; ", reads));
    }

    [Fact]
    public void ReadByKeyRule_SeesTheConnectionStringBinding() =>
        Assert.Contains(
            ProductionAssemblies.Calls(ProductionAssemblies.Infrastructure),
            c => c.Caller == ConnectionStringBinding && ReadsByKey.Contains(c.Callee));
}
