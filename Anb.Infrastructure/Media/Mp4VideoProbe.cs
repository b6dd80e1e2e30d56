using System.Buffers.Binary;
using System.Text;
using Anb.Application.Abstractions;
using Microsoft.Win32.SafeHandles;

namespace Anb.Infrastructure.Media;

/// <summary>
/// Reads an ISO base media file's boxes in place (a few hundred bytes, never the whole file): the
/// <c>ftyp</c> brands, that every top-level box and every track's last chunk lies inside the file
/// (so truncated uploads are refused), the movie duration from <c>mvhd</c> and the display size of
/// the first video track from its <c>tkhd</c> (swapped for a 90° rotation, as phones record portrait).
/// QuickTime files without an MP4 brand are read but reported with <c>IsMp4 = false</c>. The codec is the
/// first sample description (<c>stsd</c>) of every video track. Crafted headers cannot cost much: the walk
/// has one budget of headers and bytes for the whole file, and durations beyond a day are refused.
/// </summary>
internal sealed class Mp4VideoProbe(int maxBoxes, int maxBytesRead) : IVideoProbe
{
    /// <summary>Headers read in one walk, all levels together: a real file has a few dozen (fragmented: a few thousand).</summary>
    internal const int DefaultMaxBoxes = 10_000;

    /// <summary>Bytes read in one walk (headers included): a real file needs a few kilobytes.</summary>
    internal const int DefaultMaxBytesRead = 1024 * 1024;

    private const int MaxTopLevelBoxes = 4096;
    private const int MaxFtypSize = 4096;
    private const int MaxSampleDescriptions = 16;

    /// <summary>Longer than any single take of a phone or camera: a header claiming more is broken or crafted.</summary>
    private static readonly double MaxDurationSeconds = TimeSpan.FromDays(1).TotalSeconds;

    private static readonly HashSet<string> Mp4Brands =
    [
        "isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8", "iso9",
        "mp41", "mp42", "mp71", "avc1", "M4V ", "M4VH", "M4VP", "MSNV", "mmp4", "dash", "f4v ", "XAVC",
    ];

    private static readonly HashSet<string> QuickTimeBrands = ["qt  "];

    public Mp4VideoProbe()
        : this(DefaultMaxBoxes, DefaultMaxBytesRead)
    {
    }

    public async Task<VideoProbeResult?> ProbeAsync(string filePath, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(filePath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        var reader = new BoxReader(handle, RandomAccess.GetLength(handle), maxBoxes, maxBytesRead, cancellationToken);
        var result = await ProbeFileAsync(reader);
        return reader.OverBudget ? null : result;
    }

    private static async Task<VideoProbeResult?> ProbeFileAsync(BoxReader reader)
    {
        var ftyp = await reader.ReadHeaderAsync(0, reader.Length);
        if (ftyp is not { Type: "ftyp" } || ftyp.Value.PayloadSize is < 8 or > MaxFtypSize)
        {
            return null;
        }

        var brands = await ReadBrandsAsync(reader, ftyp.Value);
        var isMp4 = brands.Overlaps(Mp4Brands);
        if (!isMp4 && !brands.Overlaps(QuickTimeBrands))
        {
            return null;
        }

        Box? moov = null;
        var hasMediaData = false;
        var position = 0L;
        for (var count = 0; position < reader.Length; count++)
        {
            var box = await reader.ReadHeaderAsync(position, reader.Length);
            if (box is null || count >= MaxTopLevelBoxes)
            {
                return null;
            }

            if (box.Value.Type == "moov")
            {
                if (moov is not null)
                {
                    return null;
                }

                moov = box;
            }

            hasMediaData |= box.Value.Type == "mdat";
            position = box.Value.End;
        }

        if (moov is null || !hasMediaData)
        {
            return null;
        }

        var movie = await ReadMovieAsync(reader, moov.Value);
        return movie is { Duration: > 0, Width: > 0, Height: > 0, ChunksInsideFile: true } && movie.Duration <= MaxDurationSeconds
            ? new VideoProbeResult(isMp4, TimeSpan.FromSeconds(movie.Duration), movie.Width, movie.Height, movie.Codec)
            : null;
    }

    private static async Task<HashSet<string>> ReadBrandsAsync(BoxReader reader, Box ftyp)
    {
        var payload = await reader.ReadAsync(ftyp.PayloadStart, (int)ftyp.PayloadSize);
        var brands = new HashSet<string>(StringComparer.Ordinal) { FourCc(payload.AsSpan(0, 4)) };
        for (var offset = 8; offset + 4 <= payload.Length; offset += 4)
        {
            brands.Add(FourCc(payload.AsSpan(offset, 4)));
        }

        return brands;
    }

    private static async Task<Movie?> ReadMovieAsync(BoxReader reader, Box moov)
    {
        double duration = 0;
        var fragmentDuration = 0UL;
        ulong timescale = 0;
        Track? video = null;
        var otherCodec = false;
        var chunksInside = true;
        var longestTrack = 0UL;

        await foreach (var box in reader.ChildrenAsync(moov))
        {
            switch (box.Type)
            {
                case "mvhd":
                    var mvhd = await reader.ReadAsync(box.PayloadStart, (int)Math.Min(box.PayloadSize, 32));
                    (timescale, var length) = ReadTimescaleAndDuration(mvhd);
                    if (timescale == 0)
                    {
                        return null;
                    }

                    duration = IsUnknown(length) ? 0 : (double)length / timescale;
                    break;
                case "mvex":
                    await foreach (var child in reader.ChildrenAsync(box))
                    {
                        if (child.Type == "mehd")
                        {
                            var mehd = await reader.ReadAsync(child.PayloadStart, (int)Math.Min(child.PayloadSize, 12));
                            fragmentDuration = mehd switch
                            {
                                [1, _, _, _, ..] when mehd.Length >= 12 => BinaryPrimitives.ReadUInt64BigEndian(mehd.AsSpan(4)),
                                [0, _, _, _, ..] when mehd.Length >= 8 => BinaryPrimitives.ReadUInt32BigEndian(mehd.AsSpan(4)),
                                _ => 0,
                            };
                        }
                    }

                    break;
                case "trak":
                    var track = await ReadTrackAsync(reader, box);
                    if (track is null)
                    {
                        return null;
                    }

                    chunksInside &= track.Value.LastChunkOffset < (ulong)reader.Length;
                    longestTrack = Math.Max(longestTrack, track.Value.Duration);
                    if (track.Value.IsVideo)
                    {
                        // Every video track counts, not only the first: FFmpeg may pick any of them.
                        otherCodec |= track.Value.Codec == VideoCodec.Other;
                    }

                    if (video is null && track.Value is { IsVideo: true, Width: > 0, Height: > 0 })
                    {
                        video = track;
                    }

                    break;
            }
        }

        if (video is null || timescale == 0 || (double)longestTrack / timescale > MaxDurationSeconds)
        {
            return null;
        }

        if (duration == 0 && fragmentDuration > 0 && !IsUnknown(fragmentDuration))
        {
            duration = (double)fragmentDuration / timescale;
        }

        return new Movie(duration, video.Value.Width, video.Value.Height, otherCodec ? VideoCodec.Other : video.Value.Codec, chunksInside);
    }

    private static async Task<Track?> ReadTrackAsync(BoxReader reader, Box trak)
    {
        var width = 0;
        var height = 0;
        var isVideo = false;
        var trackDuration = 0UL;
        var table = new SampleTable(0, VideoCodec.Other);
        await foreach (var box in reader.ChildrenAsync(trak))
        {
            if (box.Type == "tkhd")
            {
                var tkhd = await reader.ReadAsync(box.PayloadStart, (int)Math.Min(box.PayloadSize, 96));
                (width, height) = ReadDisplaySize(tkhd);
                trackDuration = ReadTrackDuration(tkhd);
            }
            else if (box.Type == "mdia")
            {
                await foreach (var child in reader.ChildrenAsync(box))
                {
                    if (child.Type == "mdhd")
                    {
                        // The media's own clock: a length beyond a day (or one that cannot be read) is not a real clip.
                        var mdhd = await reader.ReadAsync(child.PayloadStart, (int)Math.Min(child.PayloadSize, 32));
                        var (timescale, length) = ReadTimescaleAndDuration(mdhd);
                        if (timescale == 0 || (!IsUnknown(length) && (double)length / timescale > MaxDurationSeconds))
                        {
                            return null;
                        }
                    }
                    else if (child.Type == "hdlr")
                    {
                        var hdlr = await reader.ReadAsync(child.PayloadStart, (int)Math.Min(child.PayloadSize, 12));
                        isVideo = hdlr.Length >= 12 && FourCc(hdlr.AsSpan(8, 4)) == "vide";
                    }
                    else if (child.Type == "minf")
                    {
                        if (await ReadSampleTableAsync(reader, child) is not { } read)
                        {
                            return null;
                        }

                        table = read;
                    }
                }
            }
        }

        return new Track(isVideo, width, height, IsUnknown(trackDuration) ? 0 : trackDuration, table.Codec, table.LastChunkOffset);
    }

    /// <summary>
    /// From <c>minf/stbl</c>: the largest chunk offset in <c>stco</c> or <c>co64</c> and the codec of the sample
    /// descriptions in <c>stsd</c>; null when the chunk table is malformed.
    /// </summary>
    private static async Task<SampleTable?> ReadSampleTableAsync(BoxReader reader, Box minf)
    {
        var lastChunk = 0UL;
        var codec = VideoCodec.Other;
        await foreach (var stbl in reader.ChildrenAsync(minf))
        {
            if (stbl.Type != "stbl")
            {
                continue;
            }

            await foreach (var table in reader.ChildrenAsync(stbl))
            {
                if (table.Type == "stsd")
                {
                    codec = await ReadCodecAsync(reader, table);
                }
                else if (table.Type is "stco" or "co64")
                {
                    if (await ReadLastChunkOffsetAsync(reader, table) is not { } offset)
                    {
                        return null;
                    }

                    lastChunk = offset;
                }
            }

            break;
        }

        return new SampleTable(lastChunk, codec);
    }

    /// <summary>H.264 or HEVC when every sample description of <c>stsd</c> names the same one of them; otherwise Other.</summary>
    private static async Task<VideoCodec> ReadCodecAsync(BoxReader reader, Box stsd)
    {
        var head = await reader.ReadAsync(stsd.PayloadStart, 8);
        var count = head.Length == 8 ? BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(4)) : 0;
        if (count is 0 or > MaxSampleDescriptions)
        {
            return VideoCodec.Other;
        }

        var codec = VideoCodec.Other;
        var position = stsd.PayloadStart + 8;
        for (var i = 0; i < count; i++)
        {
            if (await reader.ReadHeaderAsync(position, stsd.End) is not { } entry)
            {
                return VideoCodec.Other;
            }

            var entryCodec = entry.Type switch
            {
                "avc1" or "avc3" => VideoCodec.H264,
                "hvc1" or "hev1" => VideoCodec.Hevc,
                _ => VideoCodec.Other,
            };
            if (entryCodec == VideoCodec.Other || (i > 0 && entryCodec != codec))
            {
                return VideoCodec.Other;
            }

            codec = entryCodec;
            position = entry.End;
        }

        return codec;
    }

    /// <summary>The largest chunk offset in a <c>stco</c> or <c>co64</c> table; null when the table is malformed.</summary>
    private static async Task<ulong?> ReadLastChunkOffsetAsync(BoxReader reader, Box table)
    {
        var entrySize = table.Type == "stco" ? 4 : 8;
        var head = await reader.ReadAsync(table.PayloadStart, 8);
        if (head.Length < 8)
        {
            return null;
        }

        var count = BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(4));
        if (count == 0)
        {
            return 0;
        }

        if (8 + ((ulong)count * (ulong)entrySize) > (ulong)table.PayloadSize)
        {
            return null;
        }

        var last = await reader.ReadAsync(table.PayloadStart + 8 + ((long)(count - 1) * entrySize), entrySize);
        return last.Length < entrySize
            ? null
            : entrySize == 4 ? BinaryPrimitives.ReadUInt32BigEndian(last) : BinaryPrimitives.ReadUInt64BigEndian(last);
    }

    /// <summary>An all-ones duration means "not known" (version 0 or 1).</summary>
    private static bool IsUnknown(ulong duration) => duration is uint.MaxValue or ulong.MaxValue;

    /// <summary>The track's length in the movie's time scale (version 0: 32 bits at 20; version 1: 64 bits at 28).</summary>
    private static ulong ReadTrackDuration(byte[] tkhd) => tkhd switch
    {
        [1, ..] when tkhd.Length >= 36 => BinaryPrimitives.ReadUInt64BigEndian(tkhd.AsSpan(28)),
        [0, ..] when tkhd.Length >= 24 => BinaryPrimitives.ReadUInt32BigEndian(tkhd.AsSpan(20)),
        _ => 0,
    };

    /// <summary>Time scale and duration of an <c>mvhd</c> or <c>mdhd</c> (the same layout); (0, 0) when unreadable.</summary>
    private static (ulong Timescale, ulong Duration) ReadTimescaleAndDuration(byte[] header)
    {
        if (header.Length >= 32 && header[0] == 1)
        {
            return (BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(20)), BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(24)));
        }

        return header.Length >= 20 && header[0] == 0
            ? (BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(12)), BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(16)))
            : (0, 0);
    }

    /// <summary>Width and height (16.16 fixed point) at the end of <c>tkhd</c>, after its 3x3 matrix.</summary>
    private static (int Width, int Height) ReadDisplaySize(byte[] tkhd)
    {
        var expected = tkhd.Length > 0 && tkhd[0] == 1 ? 96 : 84;
        if (tkhd.Length < expected)
        {
            return (0, 0);
        }

        var matrix = tkhd.AsSpan(expected - 44, 36);
        var width = (int)(BinaryPrimitives.ReadUInt32BigEndian(tkhd.AsSpan(expected - 8)) >> 16);
        var height = (int)(BinaryPrimitives.ReadUInt32BigEndian(tkhd.AsSpan(expected - 4)) >> 16);
        var a = BinaryPrimitives.ReadInt32BigEndian(matrix);
        var b = BinaryPrimitives.ReadInt32BigEndian(matrix[4..]);
        var quarterTurn = a == 0 && b != 0;
        return quarterTurn ? (height, width) : (width, height);
    }

    private static string FourCc(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    private readonly record struct Box(string Type, long PayloadStart, long End)
    {
        public long PayloadSize => End - PayloadStart;
    }

    /// <param name="Duration">From <c>tkhd</c>, in the movie's time scale; 0 when not known.</param>
    private readonly record struct Track(bool IsVideo, int Width, int Height, ulong Duration, VideoCodec Codec, ulong LastChunkOffset);

    private readonly record struct SampleTable(ulong LastChunkOffset, VideoCodec Codec);

    private sealed record Movie(double Duration, int Width, int Height, VideoCodec Codec, bool ChunksInsideFile);

    /// <summary>
    /// Positional reads of box headers and small payloads within the file's length, within one budget of
    /// headers and bytes: past it every read comes back empty, so every loop of the walk ends.
    /// </summary>
    private sealed class BoxReader(SafeFileHandle handle, long length, int maxBoxes, int maxBytesRead, CancellationToken cancellationToken)
    {
        private int boxes;
        private long bytesRead;

        public long Length { get; } = length;

        /// <summary>The walk needed more than its budget: the file is refused whatever was read.</summary>
        public bool OverBudget => boxes > maxBoxes || bytesRead > maxBytesRead;

        /// <summary>The box starting at <paramref name="start"/>; null when it does not fit before <paramref name="limit"/>.</summary>
        public async Task<Box?> ReadHeaderAsync(long start, long limit)
        {
            if (++boxes > maxBoxes)
            {
                return null;
            }

            var header = await ReadAsync(start, 16);
            if (header.Length < 8)
            {
                return null;
            }

            var size = (ulong)BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = FourCc(header.AsSpan(4, 4));
            var headerSize = 8L;
            if (size == 1)
            {
                if (header.Length < 16)
                {
                    return null;
                }

                size = BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8));
                headerSize = 16;
            }
            else if (size == 0)
            {
                size = (ulong)(limit - start);
            }

            if (size < (ulong)headerSize || size > (ulong)(limit - start) || !IsPrintable(type))
            {
                return null;
            }

            return new Box(type, start + headerSize, start + (long)size);
        }

        public async IAsyncEnumerable<Box> ChildrenAsync(Box parent)
        {
            var position = parent.PayloadStart;
            while (position + 8 <= parent.End)
            {
                var child = await ReadHeaderAsync(position, parent.End);
                if (child is null)
                {
                    yield break;
                }

                yield return child.Value;
                position = child.Value.End;
            }
        }

        /// <summary>Up to <paramref name="count"/> bytes at <paramref name="offset"/>, fewer at the end of the file.</summary>
        public async Task<byte[]> ReadAsync(long offset, int count)
        {
            count = (int)Math.Clamp(Length - offset, 0, count);
            bytesRead += count;
            if (OverBudget)
            {
                return [];
            }

            var buffer = new byte[count];
            var read = 0;
            while (read < count)
            {
                var n = await RandomAccess.ReadAsync(handle, buffer.AsMemory(read), offset + read, cancellationToken);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            return read == count ? buffer : buffer[..read];
        }

        private static bool IsPrintable(string type)
        {
            foreach (var c in type)
            {
                if (c is < ' ' or > '~')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
