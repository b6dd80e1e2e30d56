using System.ComponentModel.DataAnnotations;

namespace Anb.WorkerHost;

/// <summary>The worker host's own settings (section <c>Processing</c>).</summary>
internal sealed class WorkerOptions
{
    public const string SectionName = "Processing";

    /// <summary>
    /// How often videos left behind by a crashed worker (expired lease) or a lost task are looked for; with the
    /// lease length this bounds how long a crash stalls a video.
    /// </summary>
    [Range(1, 3600)]
    public int RecoveryIntervalSeconds { get; set; } = 15;

    /// <summary>How often stored originals are checked for a row (a bounded page per run; see <c>OrphanGraceSeconds</c>).</summary>
    [Range(1, 24 * 3600)]
    public int OrphanSweepIntervalSeconds { get; set; } = 300;

    /// <summary>How long videos in progress may finish when the host stops (ECS allows up to 120 s).</summary>
    [Range(1, 3600)]
    public int ShutdownTimeoutSeconds { get; set; } = 90;
}
