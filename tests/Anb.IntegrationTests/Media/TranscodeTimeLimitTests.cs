using Anb.Infrastructure.Media;

namespace Anb.IntegrationTests.Media;

public sealed class TranscodeTimeLimitTests
{
    [Theory]
    [InlineData(40, 140)] // 2.5 + 30 + 2.5 s of output, 4 s each
    [InlineData(25, 120)]
    [InlineData(5, 40)]
    public void TimeLimit_IsAMultipleOfTheOutputLength(double claimedSeconds, double expectedSeconds)
    {
        var limit = FfmpegVideoTranscoder.TimeLimit(new TranscoderOptions(), Claim(claimedSeconds));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), limit);
    }

    [Fact]
    public void TimeLimit_UnreadableHeader_AssumesTheLongestOutput() =>
        Assert.Equal(TimeSpan.FromSeconds(140), FfmpegVideoTranscoder.TimeLimit(new TranscoderOptions(), null));

    [Fact]
    public void TimeLimit_NeverPassesTheCeiling()
    {
        var settings = new TranscoderOptions { MaxMainSeconds = 600, MaxTimeLimitSeconds = 300 };

        Assert.Equal(TimeSpan.FromSeconds(300), FfmpegVideoTranscoder.TimeLimit(settings, Claim(3600)));
    }

    private static TimeSpan Claim(double seconds) => TimeSpan.FromSeconds(seconds);
}
