using System.Buffers.Binary;
using System.Text;
using Anb.Application.Abstractions;
using Anb.Infrastructure.Media;
using Anb.Tests.Shared;
using static Anb.Tests.Shared.CraftedMp4;

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
        Assert.Equal(VideoCodec.H264, result.Codec);
        Assert.Equal((1920, 1080), (result.Width, result.Height));
        Assert.InRange(result.Duration.TotalSeconds, 25 - Tolerance, 25 + Tolerance);
    }

    [Theory]
    [InlineData("h264", VideoCodec.H264)]
    [InlineData("avc3", VideoCodec.H264)]
    [InlineData("hevc", VideoCodec.Hevc)]
    [InlineData("hvc1", VideoCodec.Hevc)]
    public async Task Probe_PhoneCodecs_ReadTheirCodecSizeAndDuration(string codec, VideoCodec expected)
    {
        var path = await VideoFixtures.Mp4Async(640, 360, 3, codec: codec);
        Assert.Equal(expected == VideoCodec.Hevc ? "hevc" : "h264", (await VideoFixtures.ProbeAsync(path)).Codec);

        var result = await probe.ProbeAsync(path, CancellationToken.None);

        Assert.NotNull(result);
        Assert.Equal((true, expected, 640, 360), (result.IsMp4, result.Codec, result.Width, result.Height));
        Assert.InRange(result.Duration.TotalSeconds, 3 - Tolerance, 3 + Tolerance);
    }

    [Theory]
    [InlineData("mpeg4")]
    [InlineData("vp9")]
    public async Task Probe_OtherCodecInMp4_IsReadAsOther(string codec)
    {
        var path = await VideoFixtures.Mp4Async(640, 360, 2, codec: codec);
        Assert.Equal(codec, (await VideoFixtures.ProbeAsync(path)).Codec);

        var result = await probe.ProbeAsync(path, CancellationToken.None);

        Assert.NotNull(result);
        Assert.Equal((true, VideoCodec.Other, 640, 360), (result.IsMp4, result.Codec, result.Width, result.Height));
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

        Assert.Equal(new(true, result!.Duration, 1280, 720, VideoCodec.H264), result);
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

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task Probe_CraftedFile_ReadsLikeAnEncodedOne(byte version)
    {
        var result = await probe.ProbeAsync(await CraftedMp4.WriteAsync(version: version), CancellationToken.None);

        Assert.Equal(new VideoProbeResult(true, TimeSpan.FromSeconds(30), 1920, 1080, VideoCodec.H264), result);
    }

    public static TheoryData<string> LyingBoxSizes() =>
    [
        "moov claims 4 GB",
        "moov claims less than its header",
        "moov claims one byte past the end of the file",
        "a box after moov claims 2^63 bytes (64-bit size)",
        "a box after moov has a 64-bit size less than its header",
        "a box after moov claims 2^32 - 1 bytes",
        "a box header cut after 4 bytes",
    ];

    [Theory]
    [MemberData(nameof(LyingBoxSizes))]
    public async Task Probe_BoxSizeThatLies_ReturnsNull(string lie)
    {
        var honest = await CraftedMp4.WriteAsync();
        var moovSize = (uint)(new FileInfo(honest).Length - TopLevelBox(honest, "moov").Offset);
        var path = lie switch
        {
            "moov claims 4 GB" => await CraftedMp4.WriteAsync(moovSize: uint.MaxValue),
            "moov claims less than its header" => await CraftedMp4.WriteAsync(moovSize: 4),
            "moov claims one byte past the end of the file" => await CraftedMp4.WriteAsync(moovSize: moovSize + 1),
            "a box after moov claims 2^63 bytes (64-bit size)" => await CraftedMp4.WriteAsync(tail: Header("free", 1, 1UL << 63)),
            "a box after moov has a 64-bit size less than its header" => await CraftedMp4.WriteAsync(tail: Header("free", 1, 8)),
            "a box after moov claims 2^32 - 1 bytes" => await CraftedMp4.WriteAsync(tail: Header("free", uint.MaxValue)),
            _ => await CraftedMp4.WriteAsync(tail: U32(8)),
        };

        Assert.Null(await probe.ProbeAsync(path, CancellationToken.None));
    }

    [Fact]
    public async Task Probe_MoovSizedToTheEndOfTheFile_IsRead() =>
        Assert.NotNull(await probe.ProbeAsync(await CraftedMp4.WriteAsync(moovSize: 0), CancellationToken.None));

    [Theory]
    [InlineData("hev1", VideoCodec.Hevc)]
    [InlineData("mp4v", VideoCodec.Other)]
    [InlineData("vp09", VideoCodec.Other)]
    [InlineData("av01", VideoCodec.Other)]
    [InlineData("encv", VideoCodec.Other)]
    public async Task Probe_CraftedSampleEntry_NamesTheCodec(string entry, VideoCodec expected) =>
        Assert.Equal(expected, (await probe.ProbeAsync(await CraftedMp4.WriteAsync(sampleEntry: entry), CancellationToken.None))?.Codec);

    [Fact]
    public async Task Probe_SecondVideoTrackInAnotherCodec_IsOther()
    {
        var result = await probe.ProbeAsync(await CraftedMp4.WriteAsync(trakExtra: [Track(0, 30_000, 900_000, "mp4v")]), CancellationToken.None);

        Assert.Equal(VideoCodec.Other, result?.Codec);
    }

    public static TheoryData<string, ulong, ulong, ulong> AbsurdDurations() => new()
    {
        { "movie 2^63", 1UL << 63, 30_000, 900_000 },
        { "movie 2^64 - 2", ulong.MaxValue - 1, 30_000, 900_000 },
        { "movie two days", 2 * 86_400_000UL, 30_000, 900_000 },
        { "track 2^63", 30_000, 1UL << 63, 900_000 },
        { "media 2^63", 30_000, 30_000, 1UL << 63 },
        { "media two days", 30_000, 30_000, 2 * 86_400 * 30_000UL },
    };

    [Theory]
    [MemberData(nameof(AbsurdDurations))]
    public async Task Probe_Version1DurationBeyondADay_ReturnsNullNotAnOverflow(string because, ulong movie, ulong track, ulong media)
    {
        var path = await CraftedMp4.WriteAsync(version: 1, movieDuration: movie, trackDuration: track, mediaDuration: media);

        Assert.True(await probe.ProbeAsync(path, CancellationToken.None) is null, because);
    }

    [Fact]
    public async Task Probe_Version1TwoHourDuration_IsReadForTheDurationRule()
    {
        var result = await probe.ProbeAsync(
            await CraftedMp4.WriteAsync(version: 1, movieDuration: 7_200_000, trackDuration: 7_200_000, mediaDuration: 7_200UL * 30_000),
            CancellationToken.None);

        Assert.Equal(TimeSpan.FromHours(2), result?.Duration);
    }

    [Fact]
    public async Task Probe_AMillionTinyBoxesInMoov_IsOverBudget()
    {
        var free = Box("free");
        var path = await CraftedMp4.WriteAsync(moovExtra: Enumerable.Repeat(free, 1_000_000).ToArray());

        Assert.Null(await probe.ProbeAsync(path, CancellationToken.None));
    }

    [Fact]
    public async Task Probe_AThousandTracksOfAThousandBoxes_IsOverBudget()
    {
        // Each level alone stays under any per-parent limit; together they would be a million headers.
        var track = Box("trak", Enumerable.Repeat(Box("free"), 1000).ToArray());
        var path = await CraftedMp4.WriteAsync(moovExtra: Enumerable.Repeat(track, 1000).ToArray());

        Assert.Null(await probe.ProbeAsync(path, CancellationToken.None));
    }

    [Fact]
    public async Task Probe_AFewThousandBoxes_StayWithinBudget()
    {
        var path = await CraftedMp4.WriteAsync(moovExtra: Enumerable.Repeat(Box("free"), 4000).ToArray());

        Assert.NotNull(await probe.ProbeAsync(path, CancellationToken.None));
    }

    [Fact]
    public async Task Probe_DeepNestingBesideTheTrack_IsNotWalked()
    {
        var path = await CraftedMp4.WriteAsync(moovExtra: [Nested("udta", 200_000)]);

        Assert.Equal(VideoCodec.H264, (await probe.ProbeAsync(path, CancellationToken.None))?.Codec);
    }

    [Fact]
    public async Task Probe_VideoTrackBuriedInDeepNesting_ReturnsNull()
    {
        var path = await CraftedMp4.WriteAsync(trakDepth: 200_000);

        Assert.Null(await probe.ProbeAsync(path, CancellationToken.None));
    }

    [Fact]
    public async Task Probe_BudgetCoversTheWholeWalk()
    {
        var path = await VideoFixtures.Mp4Async(640, 360, 8);
        Assert.NotNull(await probe.ProbeAsync(path, CancellationToken.None));

        Assert.Null(await new Mp4VideoProbe(maxBoxes: 8, Mp4VideoProbe.DefaultMaxBytesRead).ProbeAsync(path, CancellationToken.None));
        Assert.Null(await new Mp4VideoProbe(Mp4VideoProbe.DefaultMaxBoxes, maxBytesRead: 256).ProbeAsync(path, CancellationToken.None));
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
