using Anb.Application.Common.Messages;
using Anb.Application.Public.GetRankings;
using Anb.Application.Public.ListPublicVideos;
using FluentValidation.Results;

namespace Anb.UnitTests.Public.Common;

/// <summary>The paging rules as each public list's validator applies them: both must agree on every bound.</summary>
public sealed class ShowcasePageRulesTests
{
    private const string Rankings = nameof(GetRankingsValidator);
    private const string PublicVideos = nameof(ListPublicVideosValidator);

    private static readonly string LongestCity = new('c', 100);

    private static ValidationResult Validate(string validator, int limit, int offset, string? city) => validator switch
    {
        Rankings => new GetRankingsValidator().Validate(new GetRankingsQuery(city, limit, offset)),
        PublicVideos => new ListPublicVideosValidator().Validate(new ListPublicVideosQuery(limit, offset, city, null)),
        _ => throw new ArgumentOutOfRangeException(nameof(validator)),
    };

    private static TheoryData<string, int, int, string?> ForBoth(params (int Limit, int Offset, string? City)[] pages)
    {
        var data = new TheoryData<string, int, int, string?>();
        foreach (var validator in new[] { Rankings, PublicVideos })
        {
            foreach (var (limit, offset, city) in pages)
            {
                data.Add(validator, limit, offset, city);
            }
        }

        return data;
    }

    public static TheoryData<string, int, int, string?> PagesWithinBounds() => ForBoth(
        (1, 0, null),
        (100, 0, "Cali"),
        (10, 1_000_000, ""),
        (10, 0, LongestCity));

    [Theory]
    [MemberData(nameof(PagesWithinBounds))]
    public void Validate_PageWithinBounds_Passes(string validator, int limit, int offset, string? city) =>
        Assert.True(Validate(validator, limit, offset, city).IsValid);

    public static TheoryData<string, string, int, int, string?> PagesOutOfBounds()
    {
        var data = new TheoryData<string, string, int, int, string?>();
        foreach (var validator in new[] { Rankings, PublicVideos })
        {
            data.Add(validator, "Limit", 0, 0, null);
            data.Add(validator, "Limit", -1, 0, null);
            data.Add(validator, "Limit", 101, 0, null);
            data.Add(validator, "Offset", 10, -1, null);
            data.Add(validator, "Offset", 10, 1_000_001, null);
            data.Add(validator, "City", 10, 0, LongestCity + "c");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PagesOutOfBounds))]
    public void Validate_PageOutOfBounds_SaysInvalidParameterOnThatField(string validator, string field, int limit, int offset, string? city)
    {
        var error = Assert.Single(Validate(validator, limit, offset, city).Errors);

        Assert.Equal((field, ClientMessages.Queries.InvalidParameter), (error.PropertyName, error.ErrorMessage));
    }

    public static TheoryData<string, int, int, string?> EverythingOutOfBounds() => ForBoth((0, -1, LongestCity + "c"));

    [Theory]
    [MemberData(nameof(EverythingOutOfBounds))]
    public void Validate_EveryFieldOutOfBounds_ReportsEachField(string validator, int limit, int offset, string? city) =>
        Assert.Equal(["City", "Limit", "Offset"], Validate(validator, limit, offset, city).Errors.Select(e => e.PropertyName).Order(StringComparer.Ordinal));
}
