using FluentValidation;

namespace Anb.Application.Public.ListPublicVideos;

public sealed class ListPublicVideosValidator : AbstractValidator<ListPublicVideosQuery>
{
    public ListPublicVideosValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, 100).WithMessage(PublicQueryMessages.InvalidParameter);
        RuleFor(q => q.Offset).GreaterThanOrEqualTo(0).WithMessage(PublicQueryMessages.InvalidParameter);
        RuleFor(q => q.City).MaximumLength(100).WithMessage(PublicQueryMessages.InvalidParameter);
    }
}
