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
/// QuickTime files without an MP4 brand are read but reported with <c>IsMp4 = false</c>.
/// </summary>
internal sealed class Mp4VideoProbe : IVideoProbe
{
    private const int MaxTopLevelBoxes = 4096;
    private const int MaxChildBoxes = 1024;
    private const int MaxFtypSize = 4096;

    private static readonly HashSet<string> Mp4Brands =
    [
        "isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8", "iso9",
        "mp41", "mp42", "mp71", "avc1", "M4V ", "M4VH", "M4VP", "MSNV", "mmp4", "dash", "f4v ", "XAVC",
    ];

    private static readonly HashSet<string> QuickTimeBrands = ["qt  "];

    public async Task<VideoProbeResult?> ProbeAsync(string filePath, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(filePath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        var reader = new BoxReader(handle, RandomAccess.GetLength(handle), cancellationToken);
        return await ProbeFileAsync(reader);
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
        return movie is { Duration: > 0, Width: > 0, Height: > 0, ChunksInsideFile: true }
            ? new VideoProbeResult(isMp4, TimeSpan.FromSeconds(movie.Duration), movie.Width, movie.Height)
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
        var chunksInside = true;

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

                    duration = length is 0 or uint.MaxValue or ulong.MaxValue ? 0 : (double)length / timescale;
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
                    if (video is null && track.Value is { IsVideo: true, Width: > 0, Height: > 0 })
                    {
                        video = track;
                    }

                    break;
            }
        }

        if (video is null || timescale == 0)
        {
            return null;
        }

        if (duration == 0 && fragmentDuration > 0)
        {
            duration = (double)fragmentDuration / timescale;
        }

        return new Movie(duration, video.Value.Width, video.Value.Height, chunksInside);
    }

    private static async Task<Track?> ReadTrackAsync(BoxReader reader, Box trak)
    {
        var width = 0;
        var height = 0;
        var isVideo = false;
        var lastChunk = 0UL;
        await foreach (var box in reader.ChildrenAsync(trak))
        {
            if (box.Type == "tkhd")
            {
                var tkhd = await reader.ReadAsync(box.PayloadStart, (int)Math.Min(box.PayloadSize, 96));
                (width, height) = ReadDisplaySize(tkhd);
            }
            else if (box.Type == "mdia")
            {
                await foreach (var child in reader.ChildrenAsync(box))
                {
                    if (child.Type == "hdlr")
                    {
                        var hdlr = await reader.ReadAsync(child.PayloadStart, (int)Math.Min(child.PayloadSize, 12));
                        isVideo = hdlr.Length >= 12 && FourCc(hdlr.AsSpan(8, 4)) == "vide";
                    }
                    else if (child.Type == "minf")
                    {
                        var offset = await ReadLastChunkOffsetAsync(reader, child);
                        if (offset is null)
                        {
                            return null;
                        }

                        lastChunk = offset.Value;
                    }
                }
            }
        }

        return new Track(isVideo, width, height, lastChunk);
    }

    /// <summary>The largest chunk offset in <c>minf/stbl/stco</c> or <c>co64</c>; null when the table is malformed.</summary>
    private static async Task<ulong?> ReadLastChunkOffsetAsync(BoxReader reader, Box minf)
    {
        await foreach (var stbl in reader.ChildrenAsync(minf))
        {
            if (stbl.Type != "stbl")
            {
                continue;
            }

            await foreach (var table in reader.ChildrenAsync(stbl))
            {
                if (table.Type is not ("stco" or "co64"))
                {
                    continue;
                }

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
        }

        return 0;
    }

    private static (ulong Timescale, ulong Duration) ReadTimescaleAndDuration(byte[] mvhd)
    {
        if (mvhd.Length >= 32 && mvhd[0] == 1)
        {
            return (BinaryPrimitives.ReadUInt32BigEndian(mvhd.AsSpan(20)), BinaryPrimitives.ReadUInt64BigEndian(mvhd.AsSpan(24)));
        }

        return mvhd.Length >= 20 && mvhd[0] == 0
            ? (BinaryPrimitives.ReadUInt32BigEndian(mvhd.AsSpan(12)), BinaryPrimitives.ReadUInt32BigEndian(mvhd.AsSpan(16)))
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

    private readonly record struct Track(bool IsVideo, int Width, int Height, ulong LastChunkOffset);

    private sealed record Movie(double Duration, int Width, int Height, bool ChunksInsideFile);

    /// <summary>Positional reads of box headers and small payloads within the file's length.</summary>
    private sealed class BoxReader(SafeFileHandle handle, long length, CancellationToken cancellationToken)
    {
        public long Length { get; } = length;

        /// <summary>The box starting at <paramref name="start"/>; null when it does not fit before <paramref name="limit"/>.</summary>
        public async Task<Box?> ReadHeaderAsync(long start, long limit)
        {
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
            for (var count = 0; position + 8 <= parent.End && count < MaxChildBoxes; count++)
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
