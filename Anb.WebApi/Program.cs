using Anb.Infrastructure.Persistence;
using Anb.Infrastructure.Telemetry;
using Anb.WebApi;
using Anb.WebApi.Endpoints;
using Anb.WebApi.OpenApi;
using Anb.WebApi.Security;
using Anb.WebApi.Web;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.Logging.AddJsonLines();
builder.Services.AddApiHost(builder.Configuration);
builder.ServeWebPageFromBuildOutput();

// The source-generated mediator registers every handler of the Application, the worker's too, whose
// ports (the transcoder) this host does not register: a check of all registrations at build time would
// fail on them. HostWiringTests resolve every message this host sends instead.
builder.Host.UseDefaultServiceProvider((context, o) =>
{
    o.ValidateScopes = context.HostingEnvironment.IsDevelopment();
    o.ValidateOnBuild = false;
});

var app = builder.Build();

await DatabaseMigrator.MigrateAtStartUpAsync(app.Services);

app.UseWebPage();

// The client's IP and scheme first (from trusted proxies only); the limiter after authorization, as it
// counts players by their token.
app.UseForwardedHeaders();
app.UseHsts();
app.UseNoSniff();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseNulCharacterRefusal();
app.UseRequestBodyLimit();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseOutputCache();

app.MapOpenApi().OnlyKnownDocument();
app.MapScalarApiReference("/docs").OnlyKnownDocument();
app.MapHealthEndpoints();
app.MapAuthEndpoints();
app.MapVideoEndpoints();
app.MapPublicEndpoints();
app.MapFileEndpoints();

await app.RunAsync();

/// <summary>Entry point, visible to <c>WebApplicationFactory</c>.</summary>
public partial class Program;
