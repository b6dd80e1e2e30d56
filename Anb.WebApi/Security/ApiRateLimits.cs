using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Anb.Application.Common.Messages;
using Anb.Application.Common.Options;
using Anb.Application.Common.Telemetry;
using Anb.Application.Videos.UploadVideo;
using Anb.WebApi.Infrastructure;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Anb.WebApi.Security;

/// <summary>
/// The abuse limits (<see cref="RateLimitOptions"/>) on ASP.NET Core's rate limiter: sign-up and log-in
/// per client IP, uploads and votes per player (token <c>sub</c>; the limiter runs after authorization),
/// and uploads in flight per instance. Which client IP: <see cref="TrustedProxyOptions"/>. Every refusal is counted
/// (<c>anb.rate_limit.rejected</c> by policy; an upload's also as <c>anb.upload.refused</c>).
/// </summary>
internal static class ApiRateLimits
{
    public const string SignUp = "signup";
    public const string LogIn = "login";
    public const string Upload = "upload";
    public const string Vote = "vote";

    /// <summary>The instance's upload slots (the global limiter), as <c>anb.policy</c> of <c>anb.rate_limit.rejected</c>.</summary>
    public const string UploadSlots = "upload_slots";

    public static IServiceCollection AddApiRateLimits(this IServiceCollection services)
    {
        services.AddValidatedOptions<RateLimitOptions>(RateLimitOptions.SectionName);
        services.AddValidatedOptions<TrustedProxyOptions>(TrustedProxyOptions.SectionName);
        services.AddMemoryCache();
        services.AddSingleton<LogInBackoff>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>()
            .Configure<IOptions<RateLimitOptions>>((options, limits) => Configure(options, limits.Value));
        services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<TrustedProxyOptions>>((options, settings) => Configure(options, settings.Value));
        return services;
    }

    private static void Configure(RateLimiterOptions options, RateLimitOptions limits)
    {
        var minute = TimeSpan.FromMinutes(1);
        var retryAfter = TimeSpan.FromSeconds(limits.RetryAfterSeconds);
        options.AddPolicy(SignUp, new Policy(SignUp, c => Window(ClientAddress(c), limits.SignUpsPerMinute, minute), retryAfter));
        options.AddPolicy(LogIn, new Policy(LogIn, c => Window(ClientAddress(c), limits.LogInsPerMinute, minute), retryAfter));
        options.AddPolicy(Vote, new Policy(Vote, c => Window(UserId(c), limits.VotesPerUserPerMinute, minute), retryAfter));
        options.AddPolicy(Upload, new Policy(Upload, c => UploadsOf(UserId(c), limits), retryAfter));

        // The instance's upload slots are the global limiter, whose refusals alone reach this OnRejected
        // (the policies above answer their own): 503, the upload's "try again later".
        // (A partition's limiter is disposed once idle and made again: the factory must make a new one.)
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(c =>
            c.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == Upload
                ? RateLimitPartition.GetConcurrencyLimiter(
                    Upload, _ => new ConcurrencyLimiterOptions { PermitLimit = limits.UploadsInFlightPerInstance, QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter(string.Empty));
        options.OnRejected = (context, _) =>
        {
            Count(context.HttpContext, UploadSlots);
            return ProblemResponses.WriteAsync(
                context.HttpContext, StatusCodes.Status503ServiceUnavailable, ClientMessages.Upload.StorageUnavailable, retryAfter: retryAfter);
        };
    }

    private static void Configure(ForwardedHeadersOptions options, TrustedProxyOptions settings)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.ForwardLimit = settings.ForwardLimit;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var network in settings.ParseNetworks())
        {
            options.KnownIPNetworks.Add(network);
        }
    }

    private static RateLimitPartition<string> Window(string? key, int permits, TimeSpan window) =>
        key is null
            ? RateLimitPartition.GetNoLimiter(string.Empty)
            : RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = window,
                QueueLimit = 0,
            });

    /// <summary>A player's uploads: at most so many in flight, and so many started per hour.</summary>
    private static RateLimitPartition<string> UploadsOf(string? userId, RateLimitOptions limits) =>
        userId is null
            ? RateLimitPartition.GetNoLimiter(string.Empty)
            : RateLimitPartition.Get(userId, _ => new OwningChainedRateLimiter(
                new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = limits.UploadsInFlightPerUser, QueueLimit = 0 }),
                new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.UploadsPerUserPerHour,
                    Window = TimeSpan.FromHours(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                })));

    /// <summary>Counts a refusal by <paramref name="policy"/>; one of an upload also counts as a refused upload.</summary>
    private static void Count(HttpContext context, string policy)
    {
        var metrics = context.RequestServices.GetRequiredService<AnbMetrics>();
        metrics.RateLimitRejected(policy);
        if (policy is Upload or UploadSlots)
        {
            metrics.UploadRefused(policy == Upload ? UploadRefusalReasons.RateLimited : UploadRefusalReasons.Unavailable);
        }
    }

    private static string? UserId(HttpContext context) => context.User.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;

    /// <summary>The client's address (after trusted forwarded headers); an IPv6 client by its /64, which one subscriber usually holds whole.</summary>
    private static string? ClientAddress(HttpContext context) =>
        context.Connection.RemoteIpAddress switch
        {
            null => null,
            { IsIPv4MappedToIPv6: true } mapped => mapped.MapToIPv4().ToString(),
            { AddressFamily: AddressFamily.InterNetworkV6 } v6 => new System.Net.IPNetwork(Prefix64(v6), 64).ToString(),
            var v4 => v4.ToString(),
        };

    private static IPAddress Prefix64(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    /// <summary>A named policy whose refusals are 429 with the contract's detail and <c>Retry-After</c>.</summary>
    private sealed class Policy(string name, Func<HttpContext, RateLimitPartition<string>> partitioner, TimeSpan fallbackRetryAfter)
        : IRateLimiterPolicy<string>
    {
        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => (context, _) =>
        {
            Count(context.HttpContext, name);
            return TooManyRequests.WriteAsync(
                context.HttpContext,
                context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : fallbackRetryAfter);
        };

        public RateLimitPartition<string> GetPartition(HttpContext httpContext) => partitioner(httpContext);
    }
}
