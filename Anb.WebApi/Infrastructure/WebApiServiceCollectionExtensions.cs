using Anb.Application.Common.Messages;
using Anb.Application.Common.Options;
using Anb.Infrastructure.Auth;
using Anb.WebApi.Endpoints;
using Anb.WebApi.Json;
using Anb.WebApi.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Anb.WebApi.Infrastructure;

internal static class WebApiServiceCollectionExtensions
{
    /// <summary>What only the HTTP host needs: JSON shape, problem details, bearer authentication, OpenAPI, its own settings.</summary>
    public static IServiceCollection AddWebApi(this IServiceCollection services)
    {
        services.AddValidatedOptions<UploadSpoolOptions>(UploadSpoolOptions.SectionName);
        services.AddValidatedOptions<RankingsCacheOptions>(RankingsCacheOptions.SectionName);
        services.AddValidatedOptions<RequestBodyOptions>(RequestBodyOptions.SectionName);
        services.AddValidatedOptions<PublicVideosCacheOptions>(PublicVideosCacheOptions.SectionName);
        services.Configure<JsonOptions>(o => ApiJson.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemResponses.AddDefaultDetail);
        services.AddExceptionHandler<ApiExceptionHandler>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>>((bearer, jwt) => ConfigureBearer(bearer, jwt.Value));
        services.AddAuthorization();

        services.AddOutputCache();
        services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>();
        services.AddOpenApi();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<StorageHealthCheck>("storage", tags: [HealthEndpoints.ReadyTag]);
        return services;
    }

    private static void ConfigureBearer(JwtBearerOptions bearer, JwtOptions jwt)
    {
        bearer.MapInboundClaims = false;
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = jwt.Issuer,
            ValidAudience = jwt.Audience,
            IssuerSigningKey = jwt.CreateSigningKey(),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            NameClaimType = "name",
        };
        bearer.Events = new JwtBearerEvents
        {
            OnChallenge = async context =>
            {
                context.HandleResponse();
                await ProblemResponses.WriteAsync(
                    context.HttpContext, StatusCodes.Status401Unauthorized, ClientMessages.Http.Unauthenticated);
            },
        };
    }
}
