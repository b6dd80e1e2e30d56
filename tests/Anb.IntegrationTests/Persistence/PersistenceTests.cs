using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Domain.Users;
using Anb.Domain.Videos;
using Anb.Infrastructure.Persistence;
using Anb.Tests.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Anb.IntegrationTests.Persistence;

/// <summary>The EF Core model, migrations and repositories against a real PostgreSQL database.</summary>
public sealed class PersistenceTests : IAsyncLifetime
{
    private TestDatabase database = null!;
    private ServiceProvider services = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(NullLoggerFactory.Instance)
            .AddDbContext<AnbDbContext>(o => PersistenceSetup.Configure(o, database.ConnectionString))
            .BuildServiceProvider();
        await DatabaseMigrator.MigrateAsync(services);
    }

    public async Task DisposeAsync()
    {
        await services.DisposeAsync();
        await database.DisposeAsync();
    }

    private AnbDbContext NewContext() => services.CreateScope().ServiceProvider.GetRequiredService<AnbDbContext>();

    [Fact]
    public async Task Migrate_ConcurrentStarts_AllSucceedAndApplyOnce()
    {
        var fresh = await TestDatabase.CreateAsync();
        try
        {
            await using var provider = new ServiceCollection()
                .AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(NullLoggerFactory.Instance)
                .AddDbContext<AnbDbContext>(o => PersistenceSetup.Configure(o, fresh.ConnectionString))
                .BuildServiceProvider();

            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => DatabaseMigrator.MigrateAsync(provider)));

            var applied = await fresh.ScalarAsync<long>("SELECT count(*) FROM __ef_migrations_history");
            await using var db = provider.CreateScope().ServiceProvider.GetRequiredService<AnbDbContext>();
            Assert.Equal(db.Database.GetMigrations().Count(), (int)applied);
        }
        finally
        {
            await fresh.DisposeAsync();
        }
    }

    [Fact]
    public async Task Schema_UsesSnakeCaseTables()
    {
        var columns = await database.ScalarAsync<string>(
            "SELECT string_agg(column_name, ',' ORDER BY column_name) FROM information_schema.columns WHERE table_name = 'videos'");

        Assert.Contains("owner_id", columns, StringComparison.Ordinal);
        Assert.Contains("processed_at", columns, StringComparison.Ordinal);
        Assert.Contains("vote_count", columns, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_SameEmailTwice_RaisesUniqueViolation()
    {
        var now = DateTimeOffset.UtcNow;
        await using (var db = NewContext())
        {
            db.Users.Add(User.Create("A", "B", "dup@example.com", "h", "c", "d", now));
            await ((IUnitOfWork)db).SaveChangesAsync(default);
        }

        await using var other = NewContext();
        other.Users.Add(User.Create("C", "D", "DUP@example.com", "h", "c", "d", now));
        var error = await Assert.ThrowsAsync<UniqueConstraintViolationException>(() => ((IUnitOfWork)other).SaveChangesAsync(default));
        Assert.Equal("ix_users_email", error.ConstraintName);
    }

    [Fact]
    public async Task Videos_ConcurrentChanges_SecondWriterGetsConflict()
    {
        var video = await SeedVideoAsync();
        await using var first = NewContext();
        await using var second = NewContext();
        var a = await first.Videos.SingleAsync(v => v.Id == video.Id);
        var b = await second.Videos.SingleAsync(v => v.Id == video.Id);

        a.StartProcessing(DateTimeOffset.UtcNow);
        await ((IUnitOfWork)first).SaveChangesAsync(default);
        b.StartProcessing(DateTimeOffset.UtcNow);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => ((IUnitOfWork)second).SaveChangesAsync(default));
    }

    [Fact]
    public async Task Videos_DeletedUnderneath_UpdateGetsConflict()
    {
        var video = await SeedVideoAsync();
        await using var worker = NewContext();
        var tracked = await worker.Videos.SingleAsync(v => v.Id == video.Id);
        await database.ExecuteAsync($"DELETE FROM videos WHERE id = '{video.Id}'");

        tracked.StartProcessing(DateTimeOffset.UtcNow);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => ((IUnitOfWork)worker).SaveChangesAsync(default));
    }

    [Fact]
    public async Task VideoRepository_ListsByOwnerOldestFirstAndFindsStale()
    {
        var now = DateTimeOffset.UtcNow;
        var owner = await SeedUserAsync();
        await using (var db = NewContext())
        {
            db.Videos.Add(Video.Create(Guid.NewGuid(), owner.Id, "new", "k1", now));
            var old = Video.Create(Guid.NewGuid(), owner.Id, "old", "k2", now.AddHours(-2));
            db.Videos.Add(old);
            var stuck = Video.Create(Guid.NewGuid(), owner.Id, "stuck", "k3", now.AddHours(-1));
            stuck.StartProcessing(now.AddHours(-1));
            db.Videos.Add(stuck);
            var busy = Video.Create(Guid.NewGuid(), owner.Id, "busy", "k4", now.AddMinutes(-50));
            busy.StartProcessing(now.AddMinutes(-1));
            db.Videos.Add(busy);
            await db.SaveChangesAsync();
        }

        await using var scope = services.CreateAsyncScope();
        var repository = new Anb.Infrastructure.Persistence.Repositories.VideoRepository(scope.ServiceProvider.GetRequiredService<AnbDbContext>());

        var mine = await repository.ListByOwnerAsync(owner.Id, default);
        var stale = await repository.ListStaleAsync(now.AddMinutes(-30), now.AddMinutes(-30), now.AddMinutes(-30), 10, default);

        Assert.Equal(["old", "stuck", "busy", "new"], mine.Select(v => v.Title));
        Assert.Equal(["old", "stuck"], stale.Select(v => v.Title));
    }

    [Fact]
    public async Task ListStale_UploadedRows_UnqueuedAfterTheGrace_QueuedOnlyPastTheStaleLimitSinceQueued()
    {
        var now = DateTimeOffset.UtcNow;
        var owner = await SeedUserAsync();
        var rows = new Dictionary<string, Video>
        {
            ["unqueued-old"] = Video.Create(Guid.NewGuid(), owner.Id, "unqueued-old", "k1", now.AddSeconds(-60)),
            ["unqueued-young"] = Video.Create(Guid.NewGuid(), owner.Id, "unqueued-young", "k2", now.AddSeconds(-10)),
            ["backlog"] = Video.Create(Guid.NewGuid(), owner.Id, "backlog", "k3", now.AddHours(-2)),
            ["lost"] = Video.Create(Guid.NewGuid(), owner.Id, "lost", "k4", now.AddHours(-2).AddSeconds(1)),
        };
        await using (var db = NewContext())
        {
            db.Videos.AddRange(rows.Values);
            await db.SaveChangesAsync();
        }

        await using var scope = services.CreateAsyncScope();
        var repository = new Anb.Infrastructure.Persistence.Repositories.VideoRepository(scope.ServiceProvider.GetRequiredService<AnbDbContext>());
        await repository.MarkQueuedAsync(rows["backlog"].Id, default);
        await repository.MarkQueuedAsync(rows["lost"].Id, default);
        await database.ExecuteAsync($"UPDATE videos SET queued_at = now() - interval '10 minutes' WHERE id = '{rows["backlog"].Id}'");
        await database.ExecuteAsync($"UPDATE videos SET queued_at = now() - interval '40 minutes' WHERE id = '{rows["lost"].Id}'");

        var stale = await repository.ListStaleAsync(now.AddMinutes(-30), now.AddMinutes(-30), now.AddSeconds(-30), 10, default);

        Assert.Equal(["lost", "unqueued-old"], stale.Select(v => v.Title));
    }

    [Fact]
    public async Task MarkQueued_SetsTheDatabaseTimeOnThatRowOnly_AndFindExistingTellsWhichIdsHaveARow()
    {
        var marked = await SeedVideoAsync();
        var other = await SeedVideoAsync();
        await using var scope = services.CreateAsyncScope();
        var repository = new Anb.Infrastructure.Persistence.Repositories.VideoRepository(scope.ServiceProvider.GetRequiredService<AnbDbContext>());

        await repository.MarkQueuedAsync(marked.Id, default);
        var existing = await repository.FindExistingAsync([marked.Id, other.Id, Guid.NewGuid()], default);

        await using var db = NewContext();
        var queuedAt = (await db.Videos.SingleAsync(v => v.Id == marked.Id)).QueuedAt;
        Assert.NotNull(queuedAt);
        Assert.True(queuedAt > DateTimeOffset.UtcNow.AddMinutes(-1) && queuedAt < DateTimeOffset.UtcNow.AddMinutes(1), $"{queuedAt}");
        Assert.Null((await db.Videos.SingleAsync(v => v.Id == other.Id)).QueuedAt);
        Assert.Equal(new HashSet<Guid> { marked.Id, other.Id }, existing);
        Assert.Empty(await repository.FindExistingAsync([], default));
    }

    private async Task<User> SeedUserAsync()
    {
        await using var db = NewContext();
        var user = User.Create("A", "B", $"{Guid.NewGuid():N}@example.com", "h", "c", "d", DateTimeOffset.UtcNow);
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user;
    }

    private async Task<Video> SeedVideoAsync()
    {
        var owner = await SeedUserAsync();
        await using var db = NewContext();
        var video = Video.Create(Guid.NewGuid(), owner.Id, "t", "k", DateTimeOffset.UtcNow);
        db.Videos.Add(video);
        await db.SaveChangesAsync();
        return video;
    }
}
