namespace Anb.Infrastructure.Storage;

public static class StorageProviders
{
    public const string Local = "Local";
    public const string S3 = "S3";
}
