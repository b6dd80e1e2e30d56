using System.Buffers.Binary;
using Anb.Tests.Shared;

namespace Anb.IntegrationTests.Media;

/// <summary>
/// Copies of real clips whose header lies: the movie duration (<c>mvhd</c>, <c>tkhd</c>) and the video
/// track's display size (<c>tkhd</c>) are rewritten, the stream itself is untouched. The upload probe
/// believes the header; only decoding shows the truth.
/// </summary>
internal static class LyingHeaderClips
{
    /// <summary>A one-track (mute) clip of <paramref name="width"/>x<paramref name="height"/> and <paramref name="seconds"/>
    /// whose header claims <paramref name="claimedWidth"/>x<paramref name="claimedHeight"/> and <paramref name="claimedSeconds"/>.</summary>
    public static async Task<string> CreateAsync(
        int width, int height, double seconds, int claimedWidth, int claimedHeight, double claimedSeconds)
    {
        var source = await VideoFixtures.Mp4Async(width, height, seconds, faststart: true, audio: false);
        var bytes = await File.ReadAllBytesAsync(source);

        var mvhd = PayloadOf(bytes, "mvhd");
        var version = bytes[mvhd];
        var timescale = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(mvhd + (version == 1 ? 20 : 12)));
        var claimed = (ulong)(claimedSeconds * timescale);
        WriteDuration(bytes, mvhd + (version == 1 ? 24 : 16), version, claimed);

        var tkhd = PayloadOf(bytes, "tkhd");
        var tkhdVersion = bytes[tkhd];
        WriteDuration(bytes, tkhd + (tkhdVersion == 1 ? 28 : 20), tkhdVersion, claimed);
        var size = tkhd + (tkhdVersion == 1 ? 88 : 76);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(size), (uint)claimedWidth << 16);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(size + 4), (uint)claimedHeight << 16);

        var path = VideoFixtures.NewScratchPath();
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    private static int PayloadOf(byte[] bytes, string type)
    {
        var at = bytes.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(type));
        return at >= 0 ? at + 4 : throw new InvalidOperationException($"no {type} box");
    }

    private static void WriteDuration(byte[] bytes, int offset, byte version, ulong duration)
    {
        if (version == 1)
        {
            BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(offset), duration);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(offset), checked((uint)duration));
        }
    }
}
