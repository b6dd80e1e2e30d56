using Anb.Application;
using Anb.Infrastructure;
using Anb.Infrastructure.Persistence;
using Anb.WorkerHost;

if (args is ["transcode", ..])
{
    return await TranscodeCommand.RunAsync(args[1..]);
}

var builder = Host.CreateApplicationBuilder(args);

builder.Logging.ClearProviders().AddJsonConsole(o => o.UseUtcTimestamp = true);
builder.Services
    .AddApplication()
    .AddInfrastructure(builder.Configuration)
    .AddVideoQueueConsumer(builder.Configuration)
    .AddHostedService<StaleVideoRecoveryService>();
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(
    builder.Configuration.GetValue("Processing:ShutdownTimeoutSeconds", 90)));

var host = builder.Build();
await DatabaseMigrator.MigrateAsync(host.Services);
await host.RunAsync();
return 0;
