using FluentValidation;

namespace Anb.Application.Public.GetRankings;

public sealed class GetRankingsValidator : AbstractValidator<GetRankingsQuery>
{
    public GetRankingsValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, 100).WithMessage(PublicQueryMessages.InvalidParameter);
        RuleFor(q => q.Offset).InclusiveBetween(0, 1_000_000).WithMessage(PublicQueryMessages.InvalidParameter);
        RuleFor(q => q.City).MaximumLength(100).WithMessage(PublicQueryMessages.InvalidParameter);
    }
}
