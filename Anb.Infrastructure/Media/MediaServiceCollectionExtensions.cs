using Anb.Application.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace Anb.Infrastructure.Media;

public static class MediaServiceCollectionExtensions
{
    /// <summary>The FFmpeg transcoder (options from <c>Transcoder</c>, checked at start-up) and the MP4 header probe.</summary>
    public static IServiceCollection AddMedia(this IServiceCollection services)
    {
        services.AddOptions<TranscoderOptions>()
            .BindConfiguration(TranscoderOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IVideoTranscoder, FfmpegVideoTranscoder>();
        services.AddSingleton<IVideoProbe, Mp4VideoProbe>();
        return services;
    }
}
