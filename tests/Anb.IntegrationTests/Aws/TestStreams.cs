using System.Security.Cryptography;

namespace Anb.IntegrationTests.Aws;

/// <summary>A read-only stream of <c>length</c> pseudo-random bytes that never holds more than one read in memory.</summary>
internal class GeneratedStream(long length, int seed = 1) : Stream
{
    private readonly Random random = new(seed);
    private long position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = (int)Math.Min(buffer.Length, length - position);
        random.NextBytes(buffer[..n]);
        position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Writes a generated file of <paramref name="length"/> bytes and returns its SHA-256.</summary>
    public static async Task<byte[]> WriteFileAsync(string path, long length)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var source = new GeneratedStream(length);
        await using var file = File.Create(path);
        var chunk = new byte[1024 * 1024];
        int read;
        while ((read = await source.ReadAsync(chunk)) > 0)
        {
            hash.AppendData(chunk, 0, read);
            await file.WriteAsync(chunk.AsMemory(0, read));
        }

        return hash.GetHashAndReset();
    }
}
