using Anb.Application.Common.Messages;
using FluentValidation;

namespace Anb.Application.Public.Common;

/// <summary>The one paging rule of the public lists, included by each list's validator.</summary>
public sealed class ShowcasePageRules : AbstractValidator<IShowcasePageQuery>
{
    public const int MaxLimit = 100;
    public const int MaxOffset = 1_000_000;
    public const int MaxCityLength = 100;

    public ShowcasePageRules()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, MaxLimit).WithMessage(ClientMessages.Queries.InvalidParameter);
        RuleFor(q => q.Offset).InclusiveBetween(0, MaxOffset).WithMessage(ClientMessages.Queries.InvalidParameter);
        RuleFor(q => q.City).MaximumLength(MaxCityLength).WithMessage(ClientMessages.Queries.InvalidParameter);
    }
}
