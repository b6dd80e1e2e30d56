using Anb.Application;
using Anb.Infrastructure;
using Anb.Infrastructure.Persistence;
using Anb.WebApi.Endpoints;
using Anb.WebApi.Infrastructure;
using Anb.WebApi.OpenApi;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.Logging.ClearProviders().AddJsonConsole(o => o.UseUtcTimestamp = true);
builder.Services
    .AddApplication()
    .AddInfrastructure(builder.Configuration)
    .AddWebApi();
builder.Services.AddApiDocumentation();

var app = builder.Build();

await DatabaseMigrator.MigrateAsync(app.Services);

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseOutputCache();

app.MapOpenApi();
app.MapScalarApiReference("/docs");
app.MapHealthEndpoints();
app.MapAuthEndpoints();
app.MapVideoEndpoints();
app.MapPublicEndpoints();
app.MapFileEndpoints();

await app.RunAsync();

/// <summary>Entry point, visible to <c>WebApplicationFactory</c>.</summary>
public partial class Program;
