using Amazon.Runtime;

namespace Anb.IntegrationTests.Aws;

/// <summary>HTTP for an AWS client that can be cut off, so a worker can lose its queue as if its machine had died.</summary>
internal sealed class SeverableHttpClientFactory : HttpClientFactory
{
    private volatile bool severed;

    public void Sever() => severed = true;

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Handler(this));

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    private sealed class Handler(SeverableHttpClientFactory owner) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            owner.severed
                ? throw new HttpRequestException("severed by the test")
                : base.SendAsync(request, cancellationToken);
    }
}
