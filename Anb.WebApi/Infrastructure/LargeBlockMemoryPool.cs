using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Anb.WebApi.Infrastructure;

/// <summary>
/// Kestrel's buffers in blocks of <see cref="BlockSize"/> instead of its default 4 KB: the socket transport reads into
/// one block at a time, so an upload is received in 64 KB reads rather than 4 KB ones (16 times fewer receive calls
/// and wake-ups of the request body's reader). Idle connections hold no block (Kestrel waits for data before it takes
/// one). Freed blocks are kept for reuse up to <see cref="MaxRetainedBlocks"/>.
/// </summary>
internal sealed class LargeBlockMemoryPoolFactory : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool();
}

/// <summary>A pool of pinned 64 KB blocks (see <see cref="LargeBlockMemoryPoolFactory"/>).</summary>
internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;

    /// <summary>16 MB: the in-flight buffers of 16 uploads (Kestrel buffers at most 1 MB of a request body).</summary>
    public const int MaxRetainedBlocks = 256;

    private readonly ConcurrentQueue<byte[]> free = new();
    private int freeCount;

    public override int MaxBufferSize => BlockSize;

    /// <summary>Blocks kept for reuse (for tests).</summary>
    public int RetainedCount => Volatile.Read(ref freeCount);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (free.TryDequeue(out var array))
        {
            Interlocked.Decrement(ref freeCount);
        }
        else
        {
            // Pinned (on the pinned object heap): sockets read into it without pinning it per call.
            array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);
        }

        return new Block(this, array);
    }

    protected override void Dispose(bool disposing)
    {
        free.Clear();
        Volatile.Write(ref freeCount, 0);
    }

    private void Return(byte[] array)
    {
        if (Interlocked.Increment(ref freeCount) <= MaxRetainedBlocks)
        {
            free.Enqueue(array);
        }
        else
        {
            Interlocked.Decrement(ref freeCount);
        }
    }

    private sealed class Block(LargeBlockMemoryPool pool, byte[] array) : IMemoryOwner<byte>
    {
        private byte[]? array = array;

        public Memory<byte> Memory => array ?? throw new ObjectDisposedException(nameof(Block));

        public void Dispose()
        {
            if (Interlocked.Exchange(ref array, null) is { } returned)
            {
                pool.Return(returned);
            }
        }
    }
}
