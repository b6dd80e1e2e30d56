using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Application.Videos.ProcessVideo;
using Anb.Application.Videos.RecoverStaleVideos;
using Anb.Domain.Users;
using Anb.Domain.Videos;
using Anb.Infrastructure.Persistence;
using Anb.Infrastructure.Persistence.Repositories;
using Anb.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Anb.IntegrationTests.Persistence;

/// <summary>The processing lease's conditional updates and the stale sweep against a real PostgreSQL database.</summary>
public sealed class VideoLeaseTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private TestDatabase database = null!;
    private ServiceProvider services = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        services = new ServiceCollection()
            .AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(NullLoggerFactory.Instance)
            .AddDbContext<AnbDbContext>(o => PersistenceSetup.Configure(o, database.ConnectionString), ServiceLifetime.Transient)
            .BuildServiceProvider();
        await DatabaseMigrator.MigrateAsync(services);
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task TryClaim_ManyWorkersAtOnce_ExactlyOneWins()
    {
        var video = await SeedVideoAsync();
        var contexts = Enumerable.Range(0, 8).Select(_ => NewContext()).ToList();
        try
        {
            using var start = new ManualResetEventSlim();
            var claims = contexts.Select((db, i) => Task.Run(async () =>
            {
                start.Wait();
                return (Worker: $"worker-{i}", Won: await new VideoRepository(db).TryClaimAsync(video.Id, $"worker-{i}", Lease, default));
            })).ToList();
            start.Set();
            var results = await Task.WhenAll(claims);

            var winner = Assert.Single(results, r => r.Won);
            var row = await LoadAsync(video.Id);
            Assert.Equal(winner.Worker, row.LeaseOwner);
            Assert.Equal(VideoStatus.Processing, row.Status);
            Assert.Equal(1, row.Attempts);
            Assert.NotNull(row.ProcessingStartedAt);
        }
        finally
        {
            foreach (var db in contexts)
            {
                await db.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task TryClaim_WhileTheLeaseLives_IsRefusedEvenToItsOwner()
    {
        var video = await SeedVideoAsync();
        Assert.True(await ClaimAsync(video.Id, "a"));

        Assert.False(await ClaimAsync(video.Id, "b"));
        Assert.False(await ClaimAsync(video.Id, "a"));
        Assert.Equal(("a", 1), await LeaseAsync(video.Id));
    }

    [Fact]
    public async Task TryClaim_ExpiredLease_IsTakenByAnotherOwnerAsANewAttempt()
    {
        var video = await SeedVideoAsync();
        Assert.True(await ClaimAsync(video.Id, "crashed"));
        await ExpireLeaseAsync(video.Id);

        Assert.True(await ClaimAsync(video.Id, "b"));

        Assert.Equal(("b", 2), await LeaseAsync(video.Id));
        var row = await LoadAsync(video.Id);
        Assert.True(row.LeaseExpiresAt > DateTimeOffset.UtcNow.AddSeconds(30));
    }

    [Fact]
    public async Task TryClaim_FinishedOrDeletedVideo_IsRefused()
    {
        var processed = await SeedVideoAsync(v =>
        {
            v.StartProcessing(DateTimeOffset.UtcNow);
            v.MarkProcessed("processed/x.mp4", "processed/x.jpg", DateTimeOffset.UtcNow);
        });
        var failed = await SeedVideoAsync(v => v.MarkFailed("bad"));

        Assert.False(await ClaimAsync(processed.Id, "a"));
        Assert.False(await ClaimAsync(failed.Id, "a"));
        Assert.False(await ClaimAsync(Guid.NewGuid(), "a"));
        Assert.Equal(VideoStatus.Processed, (await LoadAsync(processed.Id)).Status);
        Assert.Equal(VideoStatus.Failed, (await LoadAsync(failed.Id)).Status);
    }

    [Fact]
    public async Task RenewLease_ByTheOwner_ExtendsIt_ByAnyoneElse_Fails()
    {
        var video = await SeedVideoAsync();
        Assert.True(await ClaimAsync(video.Id, "a"));
        await ExpireLeaseAsync(video.Id);

        await using var db = NewContext();
        var repository = new VideoRepository(db);
        Assert.False(await repository.RenewLeaseAsync(video.Id, "b", Lease, default));
        Assert.True((await LoadAsync(video.Id)).LeaseExpiresAt < DateTimeOffset.UtcNow);

        Assert.True(await repository.RenewLeaseAsync(video.Id, "a", Lease, default));
        Assert.True((await LoadAsync(video.Id)).LeaseExpiresAt > DateTimeOffset.UtcNow.AddSeconds(30));
    }

    [Fact]
    public async Task ReportProgress_OnlyByTheLeaseHolderWhileProcessing_AndTheResultClearsIt()
    {
        var video = await SeedVideoAsync();
        Assert.True(await ClaimAsync(video.Id, "a"));
        Assert.Equal(0, (await LoadAsync(video.Id)).Progress);

        await using var db = NewContext();
        var repository = new VideoRepository(db);
        Assert.False(await repository.ReportProgressAsync(video.Id, "b", 60, default));
        Assert.True(await repository.ReportProgressAsync(video.Id, "a", 42, default));
        Assert.Equal(42, (await LoadAsync(video.Id)).Progress);

        var processing = await db.Videos.SingleAsync(v => v.Id == video.Id);
        processing.MarkProcessed($"processed/{video.Id:N}.mp4", $"processed/{video.Id:N}.jpg", DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();
        Assert.False(await repository.ReportProgressAsync(video.Id, "a", 50, default));
        Assert.Null((await LoadAsync(video.Id)).Progress);
    }

    [Fact]
    public async Task RenewLease_AfterAnotherOwnerTookTheVideo_Fails()
    {
        var video = await SeedVideoAsync();
        Assert.True(await ClaimAsync(video.Id, "a"));
        await ExpireLeaseAsync(video.Id);
        Assert.True(await ClaimAsync(video.Id, "b"));

        await using var db = NewContext();
        Assert.False(await new VideoRepository(db).RenewLeaseAsync(video.Id, "a", Lease, default));
        Assert.Equal(("b", 2), await LeaseAsync(video.Id));
    }

    [Fact]
    public async Task ReleaseLease_OnlyByTheOwner_MakesTheVideoClaimableAtOnce()
    {
        var video = await SeedVideoAsync();
        Assert.True(await ClaimAsync(video.Id, "a"));
        await using var db = NewContext();
        var repository = new VideoRepository(db);

        await repository.ReleaseLeaseAsync(video.Id, "b", default);
        Assert.False(await ClaimAsync(video.Id, "b"));

        await repository.ReleaseLeaseAsync(video.Id, "a", default);
        Assert.True(await ClaimAsync(video.Id, "b"));
    }

    [Fact]
    public async Task Claim_ChangesTheRowVersion_SoAStaleCopyStillGetsAConflict()
    {
        var video = await SeedVideoAsync();
        await using var stale = NewContext();
        var copy = await stale.Videos.SingleAsync(v => v.Id == video.Id);

        Assert.True(await ClaimAsync(video.Id, "a"));
        copy.MarkFailed("late");

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => ((IUnitOfWork)stale).SaveChangesAsync(default));
    }

    [Fact]
    public async Task MarkProcessed_EndsTheLeaseInTheDatabase()
    {
        var video = await SeedVideoAsync();
        Assert.True(await ClaimAsync(video.Id, "a"));
        await using (var db = NewContext())
        {
            var row = await db.Videos.SingleAsync(v => v.Id == video.Id);
            Assert.True(row.IsLeasedBy("a"));
            row.MarkProcessed("processed/x.mp4", "processed/x.jpg", DateTimeOffset.UtcNow);
            await ((IUnitOfWork)db).SaveChangesAsync(default);
        }

        var done = await LoadAsync(video.Id);
        Assert.Equal((VideoStatus.Processed, null, null), (done.Status, done.LeaseOwner, done.LeaseExpiresAt));
    }

    [Fact]
    public async Task Sweep_RequeuesAVideoWhoseLeaseExpired_NotOneWhoseLeaseLives()
    {
        var crashed = await SeedVideoAsync();
        var busy = await SeedVideoAsync();
        Assert.True(await ClaimAsync(crashed.Id, "crashed"));
        Assert.True(await ClaimAsync(busy.Id, "alive"));
        await ExpireLeaseAsync(crashed.Id);
        var queue = new RecordingQueue();

        await using var db = NewContext();
        var sweep = new RecoverStaleVideosHandler(
            new VideoRepository(db), db, queue, Options.Create(new ProcessingOptions()), TimeProvider.System,
            NullLogger<RecoverStaleVideosHandler>.Instance);
        var result = await sweep.Handle(new RecoverStaleVideosCommand(), default);

        Assert.Equal(new RecoverStaleVideosResult(1, 0), result);
        Assert.Equal([crashed.Id], queue.Enqueued);
    }

    [Fact]
    public async Task Sweep_ExpiredLeaseWithNoAttemptsLeft_MarksTheVideoFailedAndEndsTheLease()
    {
        var video = await SeedVideoAsync();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Assert.True(await ClaimAsync(video.Id, $"crashed-{attempt}"));
            await ExpireLeaseAsync(video.Id);
        }

        var queue = new RecordingQueue();
        await using var db = NewContext();
        var sweep = new RecoverStaleVideosHandler(
            new VideoRepository(db), db, queue, Options.Create(new ProcessingOptions { MaxAttempts = 3 }), TimeProvider.System,
            NullLogger<RecoverStaleVideosHandler>.Instance);
        var result = await sweep.Handle(new RecoverStaleVideosCommand(), default);

        Assert.Equal(new RecoverStaleVideosResult(0, 1), result);
        Assert.Empty(queue.Enqueued);
        var row = await LoadAsync(video.Id);
        Assert.Equal((VideoStatus.Failed, null), (row.Status, row.LeaseOwner));
    }

    private AnbDbContext NewContext() => services.GetRequiredService<AnbDbContext>();

    private async Task<bool> ClaimAsync(Guid id, string worker)
    {
        await using var db = NewContext();
        return await new VideoRepository(db).TryClaimAsync(id, worker, Lease, default);
    }

    private Task ExpireLeaseAsync(Guid id) =>
        database.ExecuteAsync($"UPDATE videos SET lease_expires_at = now() - interval '1 second' WHERE id = '{id}'");

    private async Task<(string? Owner, int Attempts)> LeaseAsync(Guid id)
    {
        var row = await LoadAsync(id);
        return (row.LeaseOwner, row.Attempts);
    }

    private async Task<Video> LoadAsync(Guid id)
    {
        await using var db = NewContext();
        return await db.Videos.AsNoTracking().SingleAsync(v => v.Id == id);
    }

    private async Task<Video> SeedVideoAsync(Action<Video>? arrange = null)
    {
        await using var db = NewContext();
        var user = User.Create("A", "B", $"{Guid.NewGuid():N}@example.com", "h", "c", "d", DateTimeOffset.UtcNow);
        db.Users.Add(user);
        var video = Video.Create(Guid.NewGuid(), user.Id, "t", "k", DateTimeOffset.UtcNow);
        arrange?.Invoke(video);
        db.Videos.Add(video);
        await db.SaveChangesAsync();
        return video;
    }

    private sealed class RecordingQueue : IVideoQueue
    {
        public List<Guid> Enqueued { get; } = [];

        public Task EnqueueProcessingAsync(Guid videoId, CancellationToken cancellationToken)
        {
            lock (Enqueued)
            {
                Enqueued.Add(videoId);
            }

            return Task.CompletedTask;
        }
    }
}
