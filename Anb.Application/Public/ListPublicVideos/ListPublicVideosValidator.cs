using Anb.Application.Public.Common;
using FluentValidation;

namespace Anb.Application.Public.ListPublicVideos;

public sealed class ListPublicVideosValidator : AbstractValidator<ListPublicVideosQuery>
{
    public ListPublicVideosValidator() => Include(new ShowcasePageRules());
}
