using Anb.Infrastructure.Persistence;
using Anb.Infrastructure.Telemetry;
using Anb.WorkerHost;

if (args is ["transcode", ..])
{
    return await TranscodeCommand.RunAsync(args[1..]);
}

if (args is ["migrate", ..])
{
    return await MigrateCommand.RunAsync(args[1..]);
}

var builder = Host.CreateApplicationBuilder(args);

builder.Logging.AddJsonLines();
builder.Services.AddWorkerHost(builder.Configuration);

// The source-generated mediator registers every handler of the Application, the API's too, whose ports
// (accounts, the upload probe) this host does not register: a check of all registrations at build time
// would fail on them. HostWiringTests resolve every message this host sends instead.
builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions
{
    ValidateScopes = builder.Environment.IsDevelopment(),
    ValidateOnBuild = false,
}));

var host = builder.Build();
await DatabaseMigrator.MigrateAtStartUpAsync(host.Services);
await host.RunAsync();
return 0;
