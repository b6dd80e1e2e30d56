using Anb.Application.Auth.SignUp;
using Anb.Application.Common.Messages;
using Anb.Domain.Common;
using Anb.WebApi.Json;

namespace Anb.WebApi.OpenApi;

/// <summary>
/// Error examples shared by several operations, with their texts from <see cref="ClientMessages"/>
/// (the sign-up validator's by running it, so the example has its exact fields).
/// </summary>
internal static class ProblemExamples
{
    private static readonly Guid Owner = Guid.Parse("0199a3c4-1111-7000-8000-000000000001");

    public static ProblemExample Unauthenticated { get; } = new("No valid token", ClientMessages.Http.Unauthenticated);

    public static ProblemExample Malformed { get; } = new("Body that is not valid JSON", ClientMessages.Http.MalformedRequest);

    public static ProblemExample TooManyRequests { get; } = new("Limit reached", ClientMessages.Http.TooManyRequests);

    public static ProblemExample NotJson { get; } = new("Body not sent as application/json", ClientMessages.Http.JsonRequired);

    public static ProblemExample VideoNotFound { get; } = new("No such video", ClientMessages.Videos.NotFound);

    public static ProblemExample NotOwner { get; } = new("Someone else's video", ClientMessages.Videos.NotOwner);

    public static ProblemExample InvalidQuery { get; } = new("Out of range or not a number", ClientMessages.Queries.InvalidParameter);

    public static ProblemExample InvalidQueryWithErrors { get; } = new(
        "Out of range, by parameter",
        ClientMessages.Queries.InvalidParameter,
        new Dictionary<string, string[]> { ["limit"] = [ClientMessages.Queries.InvalidParameter] });

    public static ProblemExample AlreadyPublished { get; } = new("Already processed (public)", ClientMessages.For(DomainRule.VideoAlreadyPublic));

    public static ProblemExample NotOpenForVoting { get; } = new("Not processed", ClientMessages.For(DomainRule.VideoNotOpenForVoting));

    public static ProblemExample OwnVideo { get; } = new("Own video", ClientMessages.For(DomainRule.OwnVideoVote));

    /// <summary>What the sign-up validator answers for <paramref name="command"/>: the first message as detail, all of them by field.</summary>
    public static ProblemExample SignUpValidation(string name, SignUpCommand command)
    {
        var failures = new SignUpValidator().Validate(command).Errors;
        var errors = failures
            .GroupBy(f => ApiJson.NamingPolicy.ConvertName(f.PropertyName), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray(), StringComparer.Ordinal);
        return new ProblemExample(name, failures[0].ErrorMessage, errors);
    }
}
