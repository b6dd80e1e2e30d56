namespace Anb.FunctionalTests.Telemetry;

/// <summary>
/// The telemetry tests run alone: a meter provider listens to every meter named <c>Anb</c> in the process, so
/// other tests' uploads and votes would change the amounts these tests expect.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}
