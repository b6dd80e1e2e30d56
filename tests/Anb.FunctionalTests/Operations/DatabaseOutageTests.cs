using System.Net;
using System.Net.Http.Json;
using Anb.Application.Common.Messages;
using Anb.FunctionalTests.Infrastructure;
using Anb.Tests.Shared;
using Npgsql;

namespace Anb.FunctionalTests.Operations;

/// <summary>
/// While the database refuses connections every route that needs it answers 503 with a <c>detail</c> and
/// <c>Retry-After</c>, never another 5xx; once it is back the API answers again on its own.
/// </summary>
public sealed class DatabaseOutageTests(DatabaseOutageTests.RelayedApiFactory factory) : IClassFixture<DatabaseOutageTests.RelayedApiFactory>
{
    [Fact]
    public async Task DatabaseUnreachable_Answers503ThenRecoversOnItsOwn()
    {
        var anonymous = factory.CreateClient();
        var (player, _) = await anonymous.SignUpAndLogInAsync(factory.CreateClient);
        var email = ApiClient.NewEmail();

        factory.Relay.Cut();
        try
        {
            foreach (var response in await SendEachAsync(anonymous, player, email))
            {
                await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, ClientMessages.Http.ServiceUnavailable);
                Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
            }
        }
        finally
        {
            factory.Relay.Restore();
        }

        // A pooled connection the outage broke may fail once more; then the API must answer again by itself.
        var recovered = false;
        for (var attempt = 0; attempt < 20 && !recovered; attempt++)
        {
            recovered = (await player.GetAsync("/api/videos")).StatusCode == HttpStatusCode.OK;
            if (!recovered)
            {
                await Task.Delay(250);
            }
        }

        Assert.True(recovered, "The API did not answer 200 again after the database came back.");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/public/rankings")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await anonymous.PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(email))).StatusCode);
    }

    private static async Task<List<HttpResponseMessage>> SendEachAsync(HttpClient anonymous, HttpClient player, string email) =>
    [
        await anonymous.PostAsJsonAsync("/api/auth/signup", ApiClient.SignUpBody(email)),
        await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = ApiClient.Password }),
        await player.GetAsync("/api/videos"),
        await player.GetAsync($"/api/videos/{Guid.NewGuid()}"),
        await player.DeleteAsync($"/api/videos/{Guid.NewGuid()}"),
        await anonymous.GetAsync("/api/public/videos"),
        await anonymous.GetAsync("/api/public/rankings?city=outage"),
        await player.PostAsync($"/api/public/videos/{Guid.NewGuid()}/vote", null),
    ];

    /// <summary>The API reaching its database through a <see cref="TcpRelay"/> the test can cut.</summary>
    public sealed class RelayedApiFactory : AnbApiFactory
    {
        private TcpRelay? relay;

        public TcpRelay Relay => relay ?? throw new InvalidOperationException("Not initialised.");

        public override async Task InitializeAsync()
        {
            var server = new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString);
            relay = new TcpRelay(server.Host ?? "127.0.0.1", server.Port);
            await base.InitializeAsync();
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            if (relay is not null)
            {
                await relay.DisposeAsync();
            }
        }

        protected override IEnumerable<KeyValuePair<string, string?>> Settings()
        {
            var relayed = new NpgsqlConnectionStringBuilder(Database.ConnectionString) { Host = "127.0.0.1", Port = Relay.Port, Timeout = 3 };
            return [new("ConnectionStrings:Database", relayed.ConnectionString)];
        }
    }
}
