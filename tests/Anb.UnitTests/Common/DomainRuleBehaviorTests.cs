using Anb.Application.Common.Behaviors;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.Application.Public.CastVote;
using Anb.Domain.Common;
using Anb.Domain.Videos;

namespace Anb.UnitTests.Common;

public sealed class DomainRuleBehaviorTests
{
    private static readonly CastVoteCommand Command = new(Guid.NewGuid(), Guid.NewGuid());

    private static ValueTask<CastVoteResponse> Handle(Exception thrownByHandler) =>
        new DomainRuleBehavior<CastVoteCommand, CastVoteResponse>().Handle(
            Command, (_, _) => ValueTask.FromException<CastVoteResponse>(thrownByHandler), default);

    public static TheoryData<DomainRule> EveryRule() => [.. Enum.GetValues<DomainRule>()];

    [Fact]
    public async Task Handle_HandlerSucceeds_ReturnsItsResponse()
    {
        var expected = new CastVoteResponse(ClientMessages.Videos.VoteRecorded);
        CastVoteCommand? passed = null;

        var response = await new DomainRuleBehavior<CastVoteCommand, CastVoteResponse>().Handle(
            Command, (m, _) => { passed = m; return ValueTask.FromResult(expected); }, default);

        Assert.Same(expected, response);
        Assert.Same(Command, passed);
    }

    [Theory]
    [MemberData(nameof(EveryRule))]
    public async Task Handle_BrokenDomainRule_ThrowsBusinessRuleWithTheRulesMessage(DomainRule rule)
    {
        var broken = new DomainException(rule);

        var error = await Assert.ThrowsAsync<BusinessRuleException>(() => Handle(broken).AsTask());

        Assert.Equal(ClientMessages.For(rule), error.Message);
        Assert.Same(broken, error.InnerException);
    }

    public static TheoryData<Exception> OtherFailures() =>
    [
        new InvalidVideoTransitionException(VideoStatus.Processed, "start processing"),
        new NotFoundException(ClientMessages.Videos.NotFound),
        new BusinessRuleException(ClientMessages.Videos.AlreadyVoted),
        new InvalidOperationException("boom"),
        new OperationCanceledException(),
    ];

    [Theory]
    [MemberData(nameof(OtherFailures))]
    public async Task Handle_OtherException_LetsItThroughUnchanged(Exception failure)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Handle(failure).AsTask());

        Assert.Same(failure, error);
    }
}
