using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Anb.Application.Abstractions;
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
        var result = await probe.ProbeAsync(await CraftedAsync(version: version), CancellationToken.None);

        Assert.Equal(new VideoProbeResult(true, TimeSpan.FromSeconds(30), 1920, 1080, VideoCodec.H264), result);
    }

    [Theory]
    [InlineData("hev1", VideoCodec.Hevc)]
    [InlineData("mp4v", VideoCodec.Other)]
    [InlineData("vp09", VideoCodec.Other)]
    [InlineData("av01", VideoCodec.Other)]
    [InlineData("encv", VideoCodec.Other)]
    public async Task Probe_CraftedSampleEntry_NamesTheCodec(string entry, VideoCodec expected) =>
        Assert.Equal(expected, (await probe.ProbeAsync(await CraftedAsync(sampleEntry: entry), CancellationToken.None))?.Codec);

    [Fact]
    public async Task Probe_SecondVideoTrackInAnotherCodec_IsOther()
    {
        var result = await probe.ProbeAsync(await CraftedAsync(trakExtra: [Track(0, 30_000, 900_000, "mp4v")]), CancellationToken.None);

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
        var path = await CraftedAsync(version: 1, movieDuration: movie, trackDuration: track, mediaDuration: media);

        Assert.True(await probe.ProbeAsync(path, CancellationToken.None) is null, because);
    }

    [Fact]
    public async Task Probe_Version1TwoHourDuration_IsReadForTheDurationRule()
    {
        var result = await probe.ProbeAsync(
            await CraftedAsync(version: 1, movieDuration: 7_200_000, trackDuration: 7_200_000, mediaDuration: 7_200UL * 30_000),
            CancellationToken.None);

        Assert.Equal(TimeSpan.FromHours(2), result?.Duration);
    }

    [Fact]
    public async Task Probe_AMillionTinyBoxesInMoov_IsOverBudget()
    {
        var free = Box("free");
        var path = await CraftedAsync(moovExtra: Enumerable.Repeat(free, 1_000_000).ToArray());

        Assert.Null(await probe.ProbeAsync(path, CancellationToken.None));
    }

    [Fact]
    public async Task Probe_AThousandTracksOfAThousandBoxes_IsOverBudget()
    {
        // Each level alone stays under any per-parent limit; together they would be a million headers.
        var track = Box("trak", Enumerable.Repeat(Box("free"), 1000).ToArray());
        var path = await CraftedAsync(moovExtra: Enumerable.Repeat(track, 1000).ToArray());

        Assert.Null(await probe.ProbeAsync(path, CancellationToken.None));
    }

    [Fact]
    public async Task Probe_AFewThousandBoxes_StayWithinBudget()
    {
        var path = await CraftedAsync(moovExtra: Enumerable.Repeat(Box("free"), 4000).ToArray());

        Assert.NotNull(await probe.ProbeAsync(path, CancellationToken.None));
    }

    [Fact]
    public async Task Probe_DeepNestingBesideTheTrack_IsNotWalked()
    {
        var path = await CraftedAsync(moovExtra: [Nested("udta", 200_000)]);

        Assert.Equal(VideoCodec.H264, (await probe.ProbeAsync(path, CancellationToken.None))?.Codec);
    }

    [Fact]
    public async Task Probe_VideoTrackBuriedInDeepNesting_ReturnsNull()
    {
        var path = await CraftedAsync(trakDepth: 200_000);

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

    /// <summary>
    /// A minimal MP4 written byte by byte: ftyp, 100 bytes of mdat, and a moov with one 1920x1080 video track
    /// of 30 s (movie time scale 1000, media time scale 30000) whose chunk lies in the mdat.
    /// </summary>
    private static async Task<string> CraftedAsync(
        byte version = 0,
        ulong movieDuration = 30_000,
        ulong trackDuration = 30_000,
        ulong mediaDuration = 900_000,
        string sampleEntry = "avc1",
        byte[][]? moovExtra = null,
        byte[][]? trakExtra = null,
        int trakDepth = 0)
    {
        var ftyp = Box("ftyp", Encoding.ASCII.GetBytes("isom"), U32(512), Encoding.ASCII.GetBytes("isomavc1"));
        var mdat = Box("mdat", new byte[100]);
        var mvhd = Box("mvhd", TimeHeader(version, 1000, movieDuration), new byte[80]);
        var trak = Nested("trak", trakDepth, Track(version, trackDuration, mediaDuration, sampleEntry, chunkOffset: (uint)ftyp.Length + 8));
        var path = VideoFixtures.NewScratchPath();
        await File.WriteAllBytesAsync(path, [.. ftyp, .. mdat, .. Box("moov", [mvhd, trak, .. trakExtra ?? [], .. moovExtra ?? []])]);
        return path;
    }

    private static byte[] Track(byte version, ulong trackDuration, ulong mediaDuration, string sampleEntry, uint chunkOffset = 32)
    {
        int[] identity = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000];
        var tkhd = Box(
            "tkhd",
            [version, 0, 0, 3],
            version == 1 ? [.. new byte[16], .. U32(1), .. new byte[4], .. U64(trackDuration)] : [.. new byte[8], .. U32(1), .. new byte[4], .. U32((uint)trackDuration)],
            new byte[16],
            [.. identity.SelectMany(v => U32((uint)v))],
            U32(1920u << 16),
            U32(1080u << 16));
        var mdhd = Box("mdhd", TimeHeader(version, 30_000, mediaDuration), new byte[4]);
        var hdlr = Box("hdlr", new byte[8], Encoding.ASCII.GetBytes("vide"), new byte[13]);
        var stsd = Box("stsd", new byte[4], U32(1), Box(sampleEntry, new byte[78]));
        var stco = Box("stco", new byte[4], U32(1), U32(chunkOffset));
        return Box("trak", tkhd, Box("mdia", mdhd, hdlr, Box("minf", Box("stbl", stsd, stco))));
    }

    /// <summary>The start of an mvhd or mdhd: version, flags, creation and modification times, time scale, duration.</summary>
    private static byte[] TimeHeader(byte version, uint timescale, ulong duration) => version == 1
        ? [1, 0, 0, 0, .. new byte[16], .. U32(timescale), .. U64(duration)]
        : [0, 0, 0, 0, .. new byte[8], .. U32(timescale), .. U32((uint)duration)];

    private static byte[] Box(string type, params byte[][] content)
    {
        var payload = content.SelectMany(c => c).ToArray();
        return [.. U32((uint)(8 + payload.Length)), .. Encoding.ASCII.GetBytes(type), .. payload];
    }

    /// <summary><paramref name="inner"/> inside <paramref name="depth"/> nested <paramref name="type"/> boxes, built without recursion.</summary>
    private static byte[] Nested(string type, int depth, byte[]? inner = null)
    {
        inner ??= [];
        var bytes = new byte[(8 * depth) + inner.Length];
        for (var level = 0; level < depth; level++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8 * level), (uint)(bytes.Length - (8 * level)));
            Encoding.ASCII.GetBytes(type, bytes.AsSpan((8 * level) + 4));
        }

        inner.CopyTo(bytes, 8 * depth);
        return bytes;
    }

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] U64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
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
