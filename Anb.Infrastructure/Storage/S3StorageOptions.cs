using System.ComponentModel.DataAnnotations;
using Anb.Infrastructure.Common;

namespace Anb.Infrastructure.Storage;

public sealed class S3StorageOptions
{
    public const string SectionName = "Storage:S3";

    [Required]
    public string BucketName { get; set; } = string.Empty;

    [Required]
    public string Region { get; set; } = "us-east-1";

    /// <summary>Endpoint of an S3-compatible emulator (moto, MinIO); empty means AWS itself.</summary>
    [HttpUrl]
    public string ServiceUrl { get; set; } = string.Empty;

    /// <summary>Path-style addressing (<c>host/bucket/key</c>); emulators on a bare host name need it.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>Lifetime of presigned download links; SigV4 allows at most seven days.</summary>
    [Range(1, 7 * 24 * 3600)]
    public int UrlLifetimeSeconds { get; set; } = 900;

    /// <summary>Prepended to every key (<c>prod</c> stores <c>originals/x.mp4</c> as <c>prod/originals/x.mp4</c>).</summary>
    public string KeyPrefix { get; set; } = string.Empty;
}
