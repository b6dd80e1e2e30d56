using Anb.Application.Public.Common;
using FluentValidation;

namespace Anb.Application.Public.GetRankings;

public sealed class GetRankingsValidator : AbstractValidator<GetRankingsQuery>
{
    public GetRankingsValidator() => Include(new ShowcasePageRules());
}
