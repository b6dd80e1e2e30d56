using System.Text.Json;
using Anb.Application.Auth.SignUp;
using Anb.Application.Public;
using Anb.Application.Videos.Common;
using Anb.Domain.Common;
using Anb.Domain.Videos;
using Anb.WebApi.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Anb.WebApi.OpenApi;

/// <summary>
/// Error examples shared by several operations. Messages come from where the code keeps them; the few
/// that are still written inside a rule (the domain's, the sign-up validator's, the framework defaults)
/// are read by running that rule, so no message is typed twice.
/// </summary>
internal static class ProblemExamples
{
    private static readonly Guid Owner = Guid.Parse("0199a3c4-1111-7000-8000-000000000001");

    public static ProblemExample Unauthenticated { get; } = new("No valid token", ProblemResponses.UnauthenticatedMessage);

    public static ProblemExample Malformed { get; } = new("Body that is not valid JSON", ProblemResponses.MalformedRequestMessage);

    public static ProblemExample NotJson { get; } = new("Body not sent as application/json", FrameworkDetail(StatusCodes.Status415UnsupportedMediaType));

    public static ProblemExample VideoNotFound { get; } = new("No such video", VideoMessages.NotFound);

    public static ProblemExample NotOwner { get; } = new("Someone else's video", VideoMessages.NotOwner);

    public static ProblemExample InvalidQuery { get; } = new("Out of range or not a number", PublicQueryMessages.InvalidParameter);

    public static ProblemExample InvalidQueryWithErrors { get; } = new(
        "Out of range, by parameter",
        PublicQueryMessages.InvalidParameter,
        new Dictionary<string, string[]> { ["limit"] = [PublicQueryMessages.InvalidParameter] });

    public static ProblemExample AlreadyPublished { get; } = new("Already processed (public)", DomainMessage(() => Processed().EnsureCanBeDeleted()));

    public static ProblemExample NotOpenForVoting { get; } = new(
        "Not processed", DomainMessage(() => Uploaded().EnsureCanBeVotedBy(Guid.NewGuid())));

    /// <summary>The entity's own limit, reached by a title that fits only once trimmed (the validator trims, the entity does not).</summary>
    public static ProblemExample TitleOverEntityLimit { get; } = new(
        "Title over the limit before trimming",
        DomainMessage(() => Video.Create(Guid.NewGuid(), Owner, new string('a', Video.MaxTitleLength + 1), "originals/example.mp4", DateTimeOffset.UnixEpoch)));

    public static ProblemExample OwnVideo { get; } = new("Own video", DomainMessage(() => Processed().EnsureCanBeVotedBy(Owner)));

    /// <summary>What the sign-up validator answers for <paramref name="command"/>: the first message as detail, all of them by field.</summary>
    public static ProblemExample SignUpValidation(string name, SignUpCommand command)
    {
        var failures = new SignUpValidator().Validate(command).Errors;
        var errors = failures
            .GroupBy(f => JsonNamingPolicy.SnakeCaseLower.ConvertName(f.PropertyName), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray(), StringComparer.Ordinal);
        return new ProblemExample(name, failures[0].ErrorMessage, errors);
    }

    /// <summary>The <c>detail</c> the host gives the framework's own answers (404, 405, 415...).</summary>
    public static string FrameworkDetail(int status)
    {
        var context = new ProblemDetailsContext
        {
            HttpContext = new DefaultHttpContext(),
            ProblemDetails = new ProblemDetails { Status = status },
        };
        ProblemResponses.AddDefaultDetail(context);
        return context.ProblemDetails.Detail!;
    }

    private static Video Uploaded() => Video.Create(Guid.NewGuid(), Owner, "Jugada", "originals/example.mp4", DateTimeOffset.UnixEpoch);

    private static Video Processed()
    {
        var video = Uploaded();
        video.StartProcessing(DateTimeOffset.UnixEpoch);
        video.MarkProcessed("processed/example.mp4", DateTimeOffset.UnixEpoch);
        return video;
    }

    private static string DomainMessage(Action rule)
    {
        try
        {
            rule();
        }
        catch (DomainException e)
        {
            return e.Message;
        }

        throw new InvalidOperationException("The rule did not refuse the example.");
    }
}
