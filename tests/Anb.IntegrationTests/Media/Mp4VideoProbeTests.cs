using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Anb.Infrastructure.Media;
using Anb.Tests.Shared;

namespace Anb.IntegrationTests.Media;

public sealed class Mp4VideoProbeTests
{
    private const double Tolerance = 0.1;
    private readonly Mp4VideoProbe probe = new();

    [Fact]
    public async Task Probe_1080pMp4_ReadsDimensionsAndDuration()
    {
        var result = await probe.ProbeAsync(await VideoFixtures.Mp4Async(1920, 1080, 25), CancellationToken.None);

        Assert.NotNull(result);
        Assert.True(result.IsMp4);
        Assert.Equal((1920, 1080), (result.Width, result.Height));
        Assert.InRange(result.Duration.TotalSeconds, 25 - Tolerance, 25 + Tolerance);
    }

    [Theory]
    [InlineData(1080, 1920, 3)]
    [InlineData(1280, 720, 3)]
    [InlineData(640, 360, 8)]
    public async Task Probe_Mp4_ReadsItsSizeAndDuration(int width, int height, double seconds)
    {
        var result = await probe.ProbeAsync(await VideoFixtures.Mp4Async(width, height, seconds), CancellationToken.None);

        Assert.NotNull(result);
        Assert.True(result.IsMp4);
        Assert.Equal((width, height), (result.Width, result.Height));
        Assert.InRange(result.Duration.TotalSeconds, seconds - Tolerance, seconds + Tolerance);
    }

    [Fact]
    public async Task Probe_FaststartAndIndexAtTheEnd_ReadTheSame()
    {
        var atStart = await VideoFixtures.Mp4Async(640, 360, 8, faststart: true);
        var atEnd = await VideoFixtures.Mp4Async(640, 360, 8);
        Assert.True(TopLevelBox(atStart, "moov").Offset < TopLevelBox(atStart, "mdat").Offset);
        Assert.True(TopLevelBox(atEnd, "moov").Offset > TopLevelBox(atEnd, "mdat").Offset);

        var first = await probe.ProbeAsync(atStart, CancellationToken.None);
        var second = await probe.ProbeAsync(atEnd, CancellationToken.None);

        Assert.NotNull(first);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Probe_WithoutAudio_ReadsTheVideoTrack()
    {
        var result = await probe.ProbeAsync(await VideoFixtures.Mp4Async(1280, 720, 3, audio: false), CancellationToken.None);

        Assert.Equal(new(true, result!.Duration, 1280, 720), result);
        Assert.InRange(result.Duration.TotalSeconds, 3 - Tolerance, 3 + Tolerance);
    }

    [Fact]
    public async Task Probe_PhoneClipRotated90_ReportsPortraitDisplaySize()
    {
        var result = await probe.ProbeAsync(await VideoFixtures.Mp4Async(1920, 1080, 3, rotate: 90), CancellationToken.None);

        Assert.NotNull(result);
        Assert.Equal((1080, 1920), (result.Width, result.Height));
    }

    [Fact]
    public async Task Probe_NonSquarePixels_ReportsTheDisplayWidth()
    {
        var result = await probe.ProbeAsync(await VideoFixtures.Mp4Async(1440, 1080, 3, sar: "4:3"), CancellationToken.None);

        Assert.NotNull(result);
        Assert.Equal((1920, 1080), (result.Width, result.Height));
    }

    [Fact]
    public async Task Probe_QuickTimeMov_IsReadButNotMp4()
    {
        var result = await probe.ProbeAsync(await VideoFixtures.ClipAsync(1280, 720, 3, "mov"), CancellationToken.None);

        Assert.NotNull(result);
        Assert.False(result.IsMp4);
        Assert.Equal((1280, 720), (result.Width, result.Height));
    }

    [Fact]
    public async Task Probe_WebM_ReturnsNull() =>
        Assert.Null(await probe.ProbeAsync(await VideoFixtures.WebMAsync(640, 360, 2), CancellationToken.None));

    [Fact]
    public async Task Probe_TextRenamedMp4_ReturnsNull() =>
        Assert.Null(await probe.ProbeAsync(await VideoFixtures.TextAsMp4Async(), CancellationToken.None));

    [Fact]
    public async Task Probe_EmptyFile_ReturnsNull() =>
        Assert.Null(await probe.ProbeAsync(await VideoFixtures.EmptyMp4Async(), CancellationToken.None));

    [Fact]
    public async Task Probe_RandomBytes_ReturnsNull() =>
        Assert.Null(await probe.ProbeAsync(await VideoFixtures.GarbageAsMp4Async(), CancellationToken.None));

    [Fact]
    public async Task Probe_FtypHeaderOnly_ReturnsNull()
    {
        var source = await VideoFixtures.Mp4Async(640, 360, 8);

        Assert.Null(await probe.ProbeAsync(
            await VideoFixtures.TruncatedCopyAsync(source, TopLevelBox(source, "ftyp").Size), CancellationToken.None));
    }

    [Fact]
    public async Task Probe_AudioOnlyMp4_ReturnsNull()
    {
        var path = VideoFixtures.NewScratchPath();
        await VideoFixtures.RunAsync(
            "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=duration=2", "-c:a", "aac", path);

        Assert.Null(await probe.ProbeAsync(path, CancellationToken.None));
    }

    [Theory]
    [InlineData(true, "inside mdat")]
    [InlineData(false, "inside mdat")]
    [InlineData(false, "before moov")]
    [InlineData(false, "inside moov")]
    [InlineData(true, "inside moov")]
    [InlineData(true, "last byte")]
    public async Task Probe_TruncatedFile_ReturnsNull(bool faststart, string cut)
    {
        var source = await VideoFixtures.Mp4Async(640, 360, 8, faststart);
        var moov = TopLevelBox(source, "moov");
        var mdat = TopLevelBox(source, "mdat");
        var length = cut switch
        {
            "inside mdat" => mdat.Offset + (mdat.Size / 2),
            "before moov" => moov.Offset,
            "inside moov" => moov.Offset + (moov.Size / 2),
            _ => new FileInfo(source).Length - 1,
        };

        Assert.Null(await probe.ProbeAsync(await VideoFixtures.TruncatedCopyAsync(source, length), CancellationToken.None));
    }

    [Fact]
    public async Task Probe_MediaDataSizedToEndOfFileButCut_ReturnsNull()
    {
        // An mdat of size 0 runs to the end of the file, so the box walk cannot see the cut; the chunk table can.
        var source = await VideoFixtures.Mp4Async(640, 360, 8, faststart: true);
        var mdat = TopLevelBox(source, "mdat");
        var whole = VideoFixtures.NewScratchPath();
        File.Copy(source, whole);
        await using (var stream = File.OpenWrite(whole))
        {
            stream.Position = mdat.Offset;
            await stream.WriteAsync(new byte[4]);
        }

        Assert.NotNull(await probe.ProbeAsync(whole, CancellationToken.None));
        Assert.Null(await probe.ProbeAsync(
            await VideoFixtures.TruncatedCopyAsync(whole, mdat.Offset + (mdat.Size / 2)), CancellationToken.None));
    }

    [Fact]
    public async Task Probe_ManyCalls_StayFarCheaperThanFfprobe()
    {
        var path = await VideoFixtures.Mp4Async(1920, 1080, 25);
        await probe.ProbeAsync(path, CancellationToken.None);

        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < 200; i++)
        {
            Assert.NotNull(await probe.ProbeAsync(path, CancellationToken.None));
        }

        // ffprobe costs ~175 ms of CPU per call here; 200 header reads must not come near one of those.
        Assert.InRange(Stopwatch.GetElapsedTime(started).TotalMilliseconds / 200, 0, 5);
    }

    private static (long Offset, long Size) TopLevelBox(string path, string type)
    {
        using var stream = File.OpenRead(path);
        var header = new byte[16];
        for (long offset = 0; offset + 8 <= stream.Length;)
        {
            stream.Position = offset;
            stream.ReadAtLeast(header, 8);
            var size = (long)BinaryPrimitives.ReadUInt32BigEndian(header);
            size = size == 1 ? (long)BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8)) : size == 0 ? stream.Length - offset : size;
            if (Encoding.ASCII.GetString(header, 4, 4) == type)
            {
                return (offset, size);
            }

            offset += size;
        }

        throw new InvalidOperationException($"no {type} box in {path}");
    }
}
