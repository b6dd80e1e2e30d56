using Anb.Application.Abstractions;
using Anb.Application.Common.Options;
using Microsoft.Extensions.DependencyInjection;

namespace Anb.Infrastructure.Media;

public static class MediaRegistration
{
    /// <summary>The MP4 header probe the upload rules read (API host).</summary>
    public static IServiceCollection AddVideoProbe(this IServiceCollection services) =>
        services.AddSingleton<IVideoProbe, Mp4VideoProbe>();

    /// <summary>The FFmpeg transcoder, its settings (<c>Transcoder</c>, checked at start-up) and its scratch folders (worker host, transcode command).</summary>
    public static IServiceCollection AddTranscoder(this IServiceCollection services)
    {
        services.AddValidatedOptions<TranscoderOptions>(TranscoderOptions.SectionName);
        services.AddValidatedOptions<ScratchOptions>(ScratchOptions.SectionName);
        services.AddSingleton<IVideoTranscoder, FfmpegVideoTranscoder>();
        services.AddSingleton<IScratchSpace, LocalScratchSpace>();
        return services;
    }
}
