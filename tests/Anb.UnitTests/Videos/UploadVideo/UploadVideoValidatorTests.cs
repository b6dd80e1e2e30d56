using Anb.Application.Abstractions;
using Anb.Application.Common.Messages;
using Anb.Application.Videos.UploadVideo;
using Microsoft.Extensions.Options;
using Moq;

namespace Anb.UnitTests.Videos.UploadVideo;

public sealed class UploadVideoValidatorTests
{
    private const string File = "/tmp/upload.mp4";
    private const long MaxBytes = 1000;
    private readonly Mock<IVideoProbe> probe = new();
    private readonly UploadVideoValidator validator;

    public UploadVideoValidatorTests()
    {
        Probes(new VideoProbeResult(true, TimeSpan.FromSeconds(30), 1920, 1080, VideoCodec.H264));
        validator = new UploadVideoValidator(Options.Create(new UploadOptions { MaxBytes = MaxBytes }), probe.Object);
    }

    private void Probes(VideoProbeResult? result) =>
        probe.Setup(p => p.ProbeAsync(File, It.IsAny<CancellationToken>())).ReturnsAsync(result);

    [Fact]
    public async Task Validate_TitleAndAcceptableFile_Passes() =>
        Assert.True((await validator.ValidateAsync(new UploadVideoCommand(Guid.NewGuid(), "Título", File, 10))).IsValid);

    public static TheoryData<string?, string?, long, string> BadInputs() => new()
    {
        { null, File, 10, ClientMessages.Upload.TitleRequired },
        { "   ", File, 10, ClientMessages.Upload.TitleRequired },
        { "ok", null, 0, ClientMessages.Upload.FileRequired },
        { "ok", File, MaxBytes + 1, ClientMessages.Upload.TooLarge(MaxBytes) },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Validate_BadInput_SaysWhyWithoutProbing(string? title, string? path, long size, string message)
    {
        var result = await validator.ValidateAsync(new UploadVideoCommand(Guid.NewGuid(), title, path, size));

        Assert.Contains(result.Errors, e => e.ErrorMessage == message);
        probe.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Validate_TooLarge_CarriesItsRefusalReason()
    {
        var result = await validator.ValidateAsync(new UploadVideoCommand(Guid.NewGuid(), "ok", File, MaxBytes + 1));

        Assert.Equal(UploadRefusalReasons.TooLarge, Assert.Single(result.Errors).ErrorCode);
    }

    [Fact]
    public async Task Validate_TitleOver200_SaysLength()
    {
        var result = await validator.ValidateAsync(new UploadVideoCommand(Guid.NewGuid(), new string('t', 201), File, 10));

        Assert.Equal(ClientMessages.Upload.TitleLength, Assert.Single(result.Errors).ErrorMessage);
    }

    public static TheoryData<VideoProbeResult?, string, string> RejectedFiles() => new()
    {
        { null, ClientMessages.Upload.NotMp4, "not_mp4" },
        { new VideoProbeResult(false, TimeSpan.FromSeconds(30), 1920, 1080, VideoCodec.H264), ClientMessages.Upload.NotMp4, "not_mp4" },
        { new VideoProbeResult(true, TimeSpan.FromSeconds(30), 0, 0, VideoCodec.H264), ClientMessages.Upload.NotMp4, "not_mp4" },
        { new VideoProbeResult(false, TimeSpan.FromSeconds(30), 1920, 1080, VideoCodec.Other), ClientMessages.Upload.NotMp4, "not_mp4" },
        { new VideoProbeResult(true, TimeSpan.FromSeconds(30), 1920, 1080, VideoCodec.Other), ClientMessages.Upload.Codec, "codec" },
        { new VideoProbeResult(true, TimeSpan.FromSeconds(5), 640, 360, VideoCodec.Other), ClientMessages.Upload.Codec, "codec" },
        { new VideoProbeResult(true, TimeSpan.FromSeconds(30), 1920, 1080, (VideoCodec)99), ClientMessages.Upload.Codec, "codec" },
        { new VideoProbeResult(true, TimeSpan.FromSeconds(19.9), 1920, 1080, VideoCodec.H264), ClientMessages.Upload.Duration(20, 60), "duration" },
        { new VideoProbeResult(true, TimeSpan.FromSeconds(60.1), 1920, 1080, VideoCodec.H264), ClientMessages.Upload.Duration(20, 60), "duration" },
        { new VideoProbeResult(true, TimeSpan.FromSeconds(30), 1280, 720, VideoCodec.H264), ClientMessages.Upload.Resolution(1080), "resolution" },
        { new VideoProbeResult(true, TimeSpan.FromSeconds(30), 720, 1280, VideoCodec.H264), ClientMessages.Upload.Resolution(1080), "resolution" },
    };

    [Theory]
    [MemberData(nameof(RejectedFiles))]
    public async Task Validate_FileTheRulesRefuse_SaysWhyOnTheFileFieldWithTheRefusalReason(VideoProbeResult? probed, string message, string reason)
    {
        Probes(probed);

        var result = await validator.ValidateAsync(new UploadVideoCommand(Guid.NewGuid(), "Título", File, 10));

        var error = Assert.Single(result.Errors);
        Assert.Equal((nameof(UploadVideoCommand.FilePath), message, reason), (error.PropertyName, error.ErrorMessage, error.ErrorCode));
    }

    [Theory]
    [InlineData(1080, 1920, 20, VideoCodec.H264)]
    [InlineData(1920, 1080, 60, VideoCodec.H264)]
    [InlineData(3840, 2160, 45, VideoCodec.H264)]
    [InlineData(1080, 1920, 20, VideoCodec.Hevc)]
    [InlineData(3840, 2160, 60, VideoCodec.Hevc)]
    public async Task Validate_BoundaryValuesInEitherCodec_AreAccepted(int width, int height, int seconds, VideoCodec codec)
    {
        Probes(new VideoProbeResult(true, TimeSpan.FromSeconds(seconds), width, height, codec));

        Assert.True((await validator.ValidateAsync(new UploadVideoCommand(Guid.NewGuid(), "Título", File, 10))).IsValid);
    }

    [Fact]
    public async Task Validate_TitleRefused_DoesNotProbeTheFile()
    {
        await validator.ValidateAsync(new UploadVideoCommand(Guid.NewGuid(), null, File, 10));

        probe.VerifyNoOtherCalls();
    }
}
