namespace Anb.Application.Videos.ProcessVideo;

/// <summary>The last share of the output a transcoder reported (percent), read by the writer on its own schedule.</summary>
internal sealed class LatestProgress : IProgress<int>
{
    private int value;

    public int Value => Volatile.Read(ref value);

    public void Report(int value) => Volatile.Write(ref this.value, Math.Clamp(value, 0, Domain.Videos.Video.MaxProgress));
}
