using Anb.Application.Abstractions;
using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.Application.Public.CastVote;
using Anb.Domain.Common;
using Anb.UnitTests.TestData;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Anb.UnitTests.Public.CastVote;

public sealed class CastVoteHandlerTests
{
    private readonly Mock<IVideoRepository> videos = new();
    private readonly Mock<IVoteRepository> votes = new();
    private readonly FakeTimeProvider time = new(VideoTestData.Now);
    private readonly Guid voter = Guid.NewGuid();

    private CastVoteHandler CreateHandler() => new(videos.Object, votes.Object, time);

    [Fact]
    public async Task Handle_ProcessedVideoOfAnotherPlayer_RecordsVote()
    {
        var video = VideoTestData.Processed();
        videos.Setup(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video);
        votes.Setup(v => v.TryCastAsync(voter, video.Id, time.GetUtcNow(), It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var response = await CreateHandler().Handle(new CastVoteCommand(voter, video.Id), default);

        Assert.Equal(ClientMessages.Videos.VoteRecorded, response.Message);
    }

    [Fact]
    public async Task Handle_DuplicateVote_ThrowsAlreadyVoted()
    {
        var video = VideoTestData.Processed();
        videos.Setup(v => v.FindAsync(video.Id, It.IsAny<CancellationToken>())).ReturnsAsync(video);
        votes.Setup(v => v.TryCastAsync(voter, video.Id, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(false);

        var error = await Assert.ThrowsAsync<BusinessRuleException>(() => CreateHandler().Handle(new CastVoteCommand(voter, video.Id), default).AsTask());

        Assert.Equal(ClientMessages.Videos.AlreadyVoted, error.Message);
    }

    [Fact]
    public async Task Handle_UnknownVideo_ThrowsNotFoundWithoutVoting()
    {
        var error = await Assert.ThrowsAsync<NotFoundException>(() => CreateHandler().Handle(new CastVoteCommand(voter, Guid.NewGuid()), default).AsTask());

        Assert.Equal(ClientMessages.Videos.NotFound, error.Message);
        votes.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Handle_VideoNotProcessed_BreaksNotOpenForVotingWithoutVoting()
    {
        var pending = VideoTestData.Uploaded();
        videos.Setup(v => v.FindAsync(pending.Id, It.IsAny<CancellationToken>())).ReturnsAsync(pending);

        var error = await Assert.ThrowsAsync<DomainException>(() => CreateHandler().Handle(new CastVoteCommand(voter, pending.Id), default).AsTask());

        Assert.Equal(DomainRule.VideoNotOpenForVoting, error.Rule);
        votes.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Handle_OwnVideo_BreaksOwnVideoVoteWithoutVoting()
    {
        var own = VideoTestData.Processed(voter);
        videos.Setup(v => v.FindAsync(own.Id, It.IsAny<CancellationToken>())).ReturnsAsync(own);

        var error = await Assert.ThrowsAsync<DomainException>(() => CreateHandler().Handle(new CastVoteCommand(voter, own.Id), default).AsTask());

        Assert.Equal(DomainRule.OwnVideoVote, error.Rule);
        votes.VerifyNoOtherCalls();
    }
}
