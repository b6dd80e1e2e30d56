using System.Globalization;
using System.Runtime.InteropServices;
using Anb.WebApi.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Anb.FunctionalTests.Videos;

public sealed class LargeBlockMemoryPoolTests
{
    /// <summary>Registered after Kestrel's own pool, as the API registers it, Kestrel receives a body in 64 KB blocks.</summary>
    [Fact]
    public async Task Kestrel_WithThePoolRegistered_ReceivesABodyInLargeBlocks()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();
        await using var app = builder.Build();
        long largestSegment = 0;
        app.MapPost("/body", async (HttpRequest request) =>
        {
            long total = 0;
            while (true)
            {
                var result = await request.BodyReader.ReadAsync();
                foreach (var segment in result.Buffer)
                {
                    largestSegment = Math.Max(largestSegment, segment.Length);
                }

                total += result.Buffer.Length;
                request.BodyReader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return Results.Text(total.ToString(CultureInfo.InvariantCulture));
                }
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var body = new byte[4 * 1024 * 1024];
        Random.Shared.NextBytes(body);

        using var client = new HttpClient();
        var response = await client.PostAsync($"{address}/body", new ByteArrayContent(body));

        Assert.Equal(body.Length.ToString(CultureInfo.InvariantCulture), await response.Content.ReadAsStringAsync());
        Assert.True(largestSegment > 4096, $"Largest received segment {largestSegment} bytes: Kestrel's 4 KB blocks, not the pool's.");
        await app.StopAsync();
    }

    [Fact]
    public void Rent_GivesA64KBlock_AndReusesAReturnedOne()
    {
        using var pool = new LargeBlockMemoryPool();
        var first = pool.Rent(4096);
        Assert.Equal(64 * 1024, first.Memory.Length);
        Assert.True(MemoryMarshal.TryGetArray<byte>(first.Memory, out var array));
        first.Dispose();

        using var second = pool.Rent();

        Assert.True(MemoryMarshal.TryGetArray<byte>(second.Memory, out var reused));
        Assert.Same(array.Array, reused.Array);
        Assert.Equal(0, pool.RetainedCount);
    }

    [Fact]
    public void Rent_MoreThanABlock_Throws()
    {
        using var pool = new LargeBlockMemoryPool();

        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(LargeBlockMemoryPool.BlockSize + 1));
    }

    [Fact]
    public void Return_KeepsAtMostTheRetainedBlocks_AndABlockDisposedTwiceOnce()
    {
        using var pool = new LargeBlockMemoryPool();
        var blocks = Enumerable.Range(0, LargeBlockMemoryPool.MaxRetainedBlocks + 10).Select(_ => pool.Rent()).ToList();

        blocks[0].Dispose();
        blocks[0].Dispose();
        Assert.Equal(1, pool.RetainedCount);
        Assert.Throws<ObjectDisposedException>(() => blocks[0].Memory);

        blocks.Skip(1).ToList().ForEach(b => b.Dispose());
        Assert.Equal(LargeBlockMemoryPool.MaxRetainedBlocks, pool.RetainedCount);
    }
}
