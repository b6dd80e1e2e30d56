using Anb.Tests.Shared;

namespace Anb.IntegrationTests.Aws;

/// <summary>
/// The S3 and SQS tests share one emulator and run alone, after the parallel tests: they measure memory
/// allocation and time visibility windows, which other tests running alongside would disturb.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AwsCollection : ICollectionFixture<MotoServerFixture>
{
    public const string Name = "Aws";
}
