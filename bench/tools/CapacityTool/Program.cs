using System.Globalization;
using Anb.Application.Abstractions;
using Anb.Application.Videos.Common;
using Anb.Domain.Users;
using Anb.Domain.Videos;
using Anb.Infrastructure;
using Anb.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// enqueue --tag TAG [--interval-seconds S]  (video ids on stdin, one per line)
//
// For each id read from stdin: records the video as `uploaded` (owner: one bench player, made when
// missing; original key originals/{id:N}.mp4, which the caller has already put in storage) and hands it
// to the processing queue through the application's own IVideoQueue (Hangfire or SQS, as configured by
// the same environment variables the hosts read). With --interval-seconds the videos arrive on a fixed
// schedule (the first at once); without it, as fast as possible. Prints "ENQUEUED <unix time> <id>" per
// video. The API is bypassed; the worker is not needed for this to work.
if (args is not ["enqueue", .. var rest])
{
    await Console.Error.WriteLineAsync("usage: CapacityTool enqueue --tag TAG [--interval-seconds S] < ids");
    return 2;
}

string? tag = null;
double interval = 0;
for (var i = 0; i < rest.Length; i++)
{
    switch (rest[i])
    {
        case "--tag" when i + 1 < rest.Length:
            tag = rest[++i];
            break;
        case "--interval-seconds" when i + 1 < rest.Length:
            interval = double.Parse(rest[++i], CultureInfo.InvariantCulture);
            break;
        default:
            await Console.Error.WriteLineAsync($"unknown argument: {rest[i]}");
            return 2;
    }
}

if (string.IsNullOrWhiteSpace(tag))
{
    await Console.Error.WriteLineAsync("--tag is required");
    return 2;
}

var ids = new List<Guid>();
while (await Console.In.ReadLineAsync() is { } line)
{
    if (!string.IsNullOrWhiteSpace(line))
    {
        ids.Add(Guid.Parse(line.Trim()));
    }
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
builder.Logging.ClearProviders();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddInfrastructure(builder.Configuration).AddApiInfrastructure(); // records the owner and videos as the API does
using var host = builder.Build();
await DatabaseMigrator.MigrateAsync(host.Services);

var ownerId = await EnsureOwnerAsync(host.Services);
var queue = host.Services.GetRequiredService<IVideoQueue>();
var started = DateTimeOffset.UtcNow;
for (var n = 0; n < ids.Count; n++)
{
    var due = started + TimeSpan.FromSeconds(interval * n);
    var wait = due - DateTimeOffset.UtcNow;
    if (wait > TimeSpan.Zero)
    {
        await Task.Delay(wait);
    }

    var id = ids[n];
    // As the upload does: the row, the task, then the row marked queued (so the worker's sweep leaves the backlog alone).
    await using (var scope = host.Services.CreateAsyncScope())
    {
        var now = DateTimeOffset.UtcNow;
        var videos = scope.ServiceProvider.GetRequiredService<IVideoRepository>();
        videos.Add(Video.Create(id, ownerId, $"{tag} {n + 1}", VideoStorageKeys.Original(id), now));
        await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
        await queue.EnqueueProcessingAsync(id, CancellationToken.None);
        await videos.MarkQueuedAsync(id, CancellationToken.None);
    }

    Console.WriteLine(FormattableString.Invariant($"ENQUEUED {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0:F3} {id}"));
}

return 0;

static async Task<Guid> EnsureOwnerAsync(IServiceProvider services)
{
    const string email = "capacity-bench@example.com";
    await using var scope = services.CreateAsyncScope();
    var users = scope.ServiceProvider.GetRequiredService<IUserRepository>();
    if (await users.FindByEmailAsync(email, CancellationToken.None) is { } existing)
    {
        return existing.Id;
    }

    var user = User.Create("Capacity", "Bench", email, "not-a-password-hash", "Cali", "Colombia", DateTimeOffset.UtcNow);
    users.Add(user);
    await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(CancellationToken.None);
    return user.Id;
}
