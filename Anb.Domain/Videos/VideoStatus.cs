namespace Anb.Domain.Videos;

public enum VideoStatus
{
    Uploaded,
    Processing,
    Processed,
    Failed,
}
