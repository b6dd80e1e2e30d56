using Anb.Application.Abstractions;
using Anb.Application.Common.Messages;
using Anb.Domain.Videos;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.Extensions.Options;

namespace Anb.Application.Videos.UploadVideo;

/// <summary>
/// Every rule of an upload, in one place: a file and a title are present, the file is within the size
/// limit, and its bytes show an MP4 video in H.264 or HEVC of the allowed duration and resolution. The file is only
/// probed when the cheaper rules pass.
/// </summary>
public sealed class UploadVideoValidator : AbstractValidator<UploadVideoCommand>
{
    public UploadVideoValidator(IOptions<UploadOptions> options, IVideoProbe probe)
    {
        var rules = options.Value;
        RuleFor(c => c.FilePath).NotEmpty().WithMessage(ClientMessages.Upload.FileRequired);
        RuleFor(c => c.FileSize).LessThanOrEqualTo(rules.MaxBytes).WithMessage(ClientMessages.Upload.TooLarge(rules.MaxBytes))
            .WithErrorCode(UploadRefusalReasons.TooLarge).When(c => HasFile(c));
        RuleFor(c => c.Title).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(ClientMessages.Upload.TitleRequired)
            .Must(HasValidTitle).WithMessage(ClientMessages.Upload.TitleLength);
        RuleFor(c => c.FilePath).CustomAsync(async (path, context, cancellationToken) =>
            {
                if (ProbeFailure(await probe.ProbeAsync(path!, cancellationToken), rules) is ({ } message, var reason))
                {
                    context.AddFailure(new ValidationFailure(context.PropertyPath, message) { ErrorCode = reason });
                }
            })
            .When(c => HasFile(c) && c.FileSize <= rules.MaxBytes && HasValidTitle(c.Title));
    }

    private static bool HasFile(UploadVideoCommand command) => !string.IsNullOrEmpty(command.FilePath);

    private static bool HasValidTitle(string? title) => title?.Trim().Length is > 0 and <= Video.MaxTitleLength;

    /// <summary>The message and the <see cref="UploadRefusalReasons"/> code of the first probe rule the file breaks.</summary>
    private static (string? Message, string? Reason) ProbeFailure(VideoProbeResult? info, UploadOptions rules)
    {
        if (info is not { IsMp4: true } || info.Width <= 0 || info.Height <= 0)
        {
            return (ClientMessages.Upload.NotMp4, UploadRefusalReasons.NotMp4);
        }

        if (info.Codec is not (VideoCodec.H264 or VideoCodec.Hevc))
        {
            return (ClientMessages.Upload.Codec, UploadRefusalReasons.Codec);
        }

        if (info.Duration < TimeSpan.FromSeconds(rules.MinDurationSeconds) ||
            info.Duration > TimeSpan.FromSeconds(rules.MaxDurationSeconds))
        {
            return (ClientMessages.Upload.Duration(rules.MinDurationSeconds, rules.MaxDurationSeconds), UploadRefusalReasons.Duration);
        }

        return Math.Min(info.Width, info.Height) < rules.MinShortSide
            ? (ClientMessages.Upload.Resolution(rules.MinShortSide), UploadRefusalReasons.Resolution)
            : (null, null);
    }
}
