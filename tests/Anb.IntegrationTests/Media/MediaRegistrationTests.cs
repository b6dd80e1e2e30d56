using Anb.Application.Abstractions;
using Anb.Infrastructure.Media;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Anb.IntegrationTests.Media;

public sealed class MediaRegistrationTests
{
    [Fact]
    public void AddTranscoder_WithoutSettings_ResolvesTheTranscoderAndScratchWithTheDefaults()
    {
        using var services = Build([]);

        Assert.IsType<FfmpegVideoTranscoder>(services.GetRequiredService<IVideoTranscoder>());
        Assert.IsType<LocalScratchSpace>(services.GetRequiredService<IScratchSpace>());
        Assert.Null(services.GetService<IVideoProbe>()); // the upload probe is the API's, registered by AddVideoProbe
        var options = services.GetRequiredService<IOptions<TranscoderOptions>>().Value;
        Assert.Equal(("veryfast", 23, 2.5, 2.5, 30.0), (options.Preset, options.Crf, options.IntroSeconds, options.OutroSeconds, options.MaxMainSeconds));
        Assert.Equal((1280, 720, 30), (options.Width, options.Height, options.FrameRate));
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "Assets"), options.AssetsFolder);
        Assert.True(File.Exists(Path.Combine(options.AssetsFolder, FfmpegVideoTranscoder.LogoFileName)));
    }

    [Fact]
    public void AddTranscoder_WithSettings_BindsTheTranscoderSection()
    {
        using var services = Build(new() { ["Transcoder:Preset"] = "medium", ["Transcoder:Crf"] = "20", ["Transcoder:BinaryFolder"] = "/opt/ffmpeg" });

        var options = services.GetRequiredService<IOptions<TranscoderOptions>>().Value;

        Assert.Equal(("medium", 20, "/opt/ffmpeg"), (options.Preset, options.Crf, options.BinaryFolder));
    }

    [Theory]
    [InlineData("Transcoder:Preset", "fastest")]
    [InlineData("Transcoder:Crf", "52")]
    [InlineData("Transcoder:Width", "1279")]
    [InlineData("Transcoder:IntroSeconds", "0")]
    [InlineData("Transcoder:WatermarkOpacity", "1.5")]
    [InlineData("Transcoder:AssetsFolder", "")]
    public async Task AddTranscoder_InvalidSetting_StopsTheHostAtStart(string key, string value)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        builder.Services.AddTranscoder();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(key.Split(':')[1], ex.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddTranscoder()
            .BuildServiceProvider();
    }
}
