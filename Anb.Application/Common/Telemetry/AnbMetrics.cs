using System.Diagnostics.Metrics;

namespace Anb.Application.Common.Telemetry;

/// <summary>
/// The platform's own metrics, on the meter <c>Anb</c> (names and units by OpenTelemetry's conventions). The
/// histograms advise explicit bucket boundaries sized for uploads of up to 100 MB and transcodes of seconds to
/// minutes; a host can switch them to base-2 exponential histograms.
/// </summary>
public sealed class AnbMetrics
{
    /// <summary>The attribute naming why an upload was refused or a video failed.</summary>
    public const string ReasonAttribute = "anb.reason";

    /// <summary>The attribute naming the rate limit that refused a request.</summary>
    public const string PolicyAttribute = "anb.policy";

    private static readonly double[] SecondsBuckets = [0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600, 1800];

    private readonly Counter<long> uploadsAccepted;
    private readonly Counter<long> uploadsRefused;
    private readonly Histogram<long> uploadSize;
    private readonly UpDownCounter<long> uploadsInFlight;
    private readonly Counter<long> videosProcessed;
    private readonly Counter<long> videosFailed;
    private readonly Histogram<double> transcodeDuration;
    private readonly Histogram<double> queueWait;
    private readonly Histogram<long> videoAttempts;
    private readonly Counter<long> votesCast;
    private readonly Counter<long> rateLimitRejected;

    public AnbMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(AnbTelemetry.Name);
        uploadsAccepted = meter.CreateCounter<long>("anb.upload.accepted", "{upload}", "Uploads stored and queued for processing.");
        uploadsRefused = meter.CreateCounter<long>("anb.upload.refused", "{upload}", "Uploads refused, by anb.reason.");
        uploadSize = meter.CreateHistogram("anb.upload.size", "By", "Size of the accepted uploads.", advice: new InstrumentAdvice<long>
        {
            HistogramBucketBoundaries = [1 << 20, 5 << 20, 10 << 20, 25 << 20, 50 << 20, 75 << 20, 100 << 20],
        });
        uploadsInFlight = meter.CreateUpDownCounter<long>("anb.upload.in_flight", "{upload}", "Uploads being received or stored right now.");
        videosProcessed = meter.CreateCounter<long>("anb.video.processed", "{video}", "Videos turned into the ANB version.");
        videosFailed = meter.CreateCounter<long>("anb.video.failed", "{video}", "Videos marked failed, by anb.reason.");
        transcodeDuration = meter.CreateHistogram("anb.transcode.duration", "s", "Time FFmpeg took for one successful transcode.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        queueWait = meter.CreateHistogram("anb.queue.wait", "s", "Time from enqueuing a processing task to the first start of its processing.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        videoAttempts = meter.CreateHistogram("anb.video.attempts", "{attempt}", "Processing attempts a video took, recorded when it is processed or fails.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 3, 4, 5, 10, 20] });
        votesCast = meter.CreateCounter<long>("anb.vote.cast", "{vote}", "Votes counted.");
        rateLimitRejected = meter.CreateCounter<long>("anb.rate_limit.rejected", "{request}", "Requests refused by a rate limit, by anb.policy.");
    }

    public void UploadStarted() => uploadsInFlight.Add(1);

    public void UploadEnded() => uploadsInFlight.Add(-1);

    public void UploadAccepted(long bytes)
    {
        uploadsAccepted.Add(1);
        uploadSize.Record(bytes);
    }

    /// <summary>An upload refused; <paramref name="reason"/> is one of <see cref="Videos.UploadVideo.UploadRefusalReasons"/>.</summary>
    public void UploadRefused(string reason) => uploadsRefused.Add(1, new KeyValuePair<string, object?>(ReasonAttribute, reason));

    public void VideoProcessed(int attempts)
    {
        videosProcessed.Add(1);
        videoAttempts.Record(attempts);
    }

    /// <summary>A video marked failed; <paramref name="reason"/> is one of <see cref="Videos.ProcessVideo.VideoFailureReasons"/>.</summary>
    public void VideoFailed(string reason, int? attempts = null)
    {
        videosFailed.Add(1, new KeyValuePair<string, object?>(ReasonAttribute, reason));
        if (attempts is { } count)
        {
            videoAttempts.Record(count);
        }
    }

    public void TranscodeFinished(TimeSpan duration) => transcodeDuration.Record(duration.TotalSeconds);

    public void QueueWaited(TimeSpan wait) => queueWait.Record(Math.Max(0, wait.TotalSeconds));

    public void VoteCast() => votesCast.Add(1);

    public void RateLimitRejected(string policy) => rateLimitRejected.Add(1, new KeyValuePair<string, object?>(PolicyAttribute, policy));
}
