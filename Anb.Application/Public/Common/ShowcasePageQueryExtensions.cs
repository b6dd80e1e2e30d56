using Anb.Domain.Users;

namespace Anb.Application.Public.Common;

public static class ShowcasePageQueryExtensions
{
    /// <summary>The city folded as players' cities are stored (<see cref="User.NormalizeCity"/>), or null for every city.</summary>
    public static string? CityKey(this IShowcasePageQuery query) =>
        string.IsNullOrWhiteSpace(query.City) ? null : User.NormalizeCity(query.City);
}
