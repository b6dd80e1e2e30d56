namespace Anb.Infrastructure.Storage;

/// <summary>The values of <c>Storage:Provider</c>, which picks the storage adapter.</summary>
public static class StorageProviders
{
    public const string ConfigurationKey = "Storage:Provider";

    public const string Local = "Local";
    public const string S3 = "S3";
}
