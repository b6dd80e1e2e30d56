using System.Buffers.Binary;
using System.Text;

namespace Anb.Tests.Shared;

/// <summary>
/// MP4 files written byte by byte, for the probe's hostile cases: box sizes that lie, absurd durations,
/// deep nesting, floods of tiny boxes. Self-contained so other test projects can link this file.
/// </summary>
public static class CraftedMp4
{
    /// <summary>
    /// A minimal MP4: ftyp, 100 bytes of mdat, and a moov with one 1920x1080 video track of 30 s (movie time
    /// scale 1000, media time scale 30000) whose chunk lies in the mdat. <paramref name="moovSize"/> overrides
    /// the moov's size field (a lying header); <paramref name="tail"/> is appended after the moov.
    /// </summary>
    public static async Task<string> WriteAsync(
        byte version = 0,
        ulong movieDuration = 30_000,
        ulong trackDuration = 30_000,
        ulong mediaDuration = 900_000,
        string sampleEntry = "avc1",
        byte[][]? moovExtra = null,
        byte[][]? trakExtra = null,
        int trakDepth = 0,
        uint? moovSize = null,
        byte[]? tail = null)
    {
        var ftyp = Box("ftyp", Encoding.ASCII.GetBytes("isom"), U32(512), Encoding.ASCII.GetBytes("isomavc1"));
        var mdat = Box("mdat", new byte[100]);
        var mvhd = Box("mvhd", TimeHeader(version, 1000, movieDuration), new byte[80]);
        var trak = Nested("trak", trakDepth, Track(version, trackDuration, mediaDuration, sampleEntry, chunkOffset: (uint)ftyp.Length + 8));
        var moov = Box("moov", [mvhd, trak, .. trakExtra ?? [], .. moovExtra ?? []]);
        if (moovSize is { } size)
        {
            BinaryPrimitives.WriteUInt32BigEndian(moov, size);
        }

        var path = VideoFixtures.NewScratchPath();
        await File.WriteAllBytesAsync(path, [.. ftyp, .. mdat, .. moov, .. tail ?? []]);
        return path;
    }

    /// <summary>A video track (tkhd, mdhd, hdlr "vide", one sample description, one chunk offset) of 1920x1080.</summary>
    public static byte[] Track(byte version, ulong trackDuration, ulong mediaDuration, string sampleEntry, uint chunkOffset = 32)
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

    /// <summary>A box with a 32-bit size that tells the truth.</summary>
    public static byte[] Box(string type, params byte[][] content)
    {
        var payload = content.SelectMany(c => c).ToArray();
        return [.. U32((uint)(8 + payload.Length)), .. Encoding.ASCII.GetBytes(type), .. payload];
    }

    /// <summary>A box header alone with any size field, 32-bit or (with <paramref name="largeSize"/>) 64-bit.</summary>
    public static byte[] Header(string type, uint size, ulong? largeSize = null) =>
        largeSize is { } large ? [.. U32(1), .. Encoding.ASCII.GetBytes(type), .. U64(large)] : [.. U32(size), .. Encoding.ASCII.GetBytes(type)];

    /// <summary><paramref name="inner"/> inside <paramref name="depth"/> nested <paramref name="type"/> boxes, built without recursion.</summary>
    public static byte[] Nested(string type, int depth, byte[]? inner = null)
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

    public static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    public static byte[] U64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>The start of an mvhd or mdhd: version, flags, creation and modification times, time scale, duration.</summary>
    private static byte[] TimeHeader(byte version, uint timescale, ulong duration) => version == 1
        ? [1, 0, 0, 0, .. new byte[16], .. U32(timescale), .. U64(duration)]
        : [0, 0, 0, 0, .. new byte[8], .. U32(timescale), .. U32((uint)duration)];
}
