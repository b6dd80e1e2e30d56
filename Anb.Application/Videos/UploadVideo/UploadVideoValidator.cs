using Anb.Domain.Videos;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace Anb.Application.Videos.UploadVideo;

public sealed class UploadVideoValidator : AbstractValidator<UploadVideoCommand>
{
    public UploadVideoValidator(IOptions<UploadOptions> options)
    {
        var maxBytes = options.Value.MaxBytes;
        RuleFor(c => c.FilePath).NotEmpty().WithMessage(UploadMessages.FileRequired);
        RuleFor(c => c.FileSize).LessThanOrEqualTo(maxBytes).WithMessage(UploadMessages.TooLarge(maxBytes))
            .When(c => !string.IsNullOrEmpty(c.FilePath));
        RuleFor(c => c.Title).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(UploadMessages.TitleRequired)
            .Must(t => t!.Trim().Length is > 0 and <= Video.MaxTitleLength).WithMessage(UploadMessages.TitleLength);
    }
}
