using Anb.Domain.Common;
using Anb.Domain.Videos;

namespace Anb.UnitTests.Domain;

public sealed class VideoTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 14, 30, 0, TimeSpan.Zero);
    private static readonly Guid Owner = Guid.NewGuid();

    private static Video NewVideo() => Video.Create(Guid.NewGuid(), Owner, "  Triple  ", "originals/x.mp4", Now);

    [Fact]
    public void Create_StartsUploadedWithTrimmedTitle()
    {
        var video = NewVideo();

        Assert.Equal(VideoStatus.Uploaded, video.Status);
        Assert.Equal("Triple", video.Title);
        Assert.Equal(Now, video.UploadedAt);
        Assert.Null(video.ProcessedAt);
        Assert.Equal(0, video.Attempts);
    }

    [Fact]
    public void Create_TitleOver200Characters_BreaksTitleTooLong()
    {
        var error = Assert.Throws<DomainException>(() => Video.Create(Guid.NewGuid(), Owner, new string('a', 201), "k", Now));

        Assert.Equal(DomainRule.TitleTooLong, error.Rule);
    }

    [Fact]
    public void Create_Title200Characters_IsAccepted() =>
        Assert.Equal(200, Video.Create(Guid.NewGuid(), Owner, new string('a', 200), "k", Now).Title.Length);

    [Fact]
    public void Create_Title200CharactersOnceTrimmed_IsAccepted() =>
        Assert.Equal(200, Video.Create(Guid.NewGuid(), Owner, $"  {new string('a', 200)}  ", "k", Now).Title.Length);

    [Fact]
    public void StatusMachine_MovesForwardToProcessed()
    {
        var video = NewVideo();

        video.StartProcessing(Now.AddSeconds(1));
        video.MarkProcessed("processed/x.mp4", "processed/x.jpg", Now.AddSeconds(20));

        Assert.Equal(VideoStatus.Processed, video.Status);
        Assert.Equal(Now.AddSeconds(20), video.ProcessedAt);
        Assert.Equal("processed/x.mp4", video.ProcessedKey);
        Assert.Equal(1, video.Attempts);
        Assert.True(video.IsPublic);
    }

    [Fact]
    public void Progress_IsZeroWhenProcessingStarts_AndNullBeforeAndAfter()
    {
        var processed = Video.Create(Guid.NewGuid(), Guid.NewGuid(), "t", "originals/a.mp4", Now);
        var failed = Video.Create(Guid.NewGuid(), Guid.NewGuid(), "t", "originals/b.mp4", Now);
        Assert.Null(processed.Progress);

        processed.StartProcessing(Now);
        failed.StartProcessing(Now);
        Assert.Equal((0, 0), (processed.Progress, failed.Progress));

        processed.MarkProcessed("processed/a.mp4", "processed/a.jpg", Now);
        failed.MarkFailed("no");
        Assert.Equal(((int?)null, (int?)null), (processed.Progress, failed.Progress));
    }

    [Fact]
    public void StartProcessing_Retry_CountsAttempts()
    {
        var video = NewVideo();

        video.StartProcessing(Now);
        video.StartProcessing(Now.AddMinutes(1));

        Assert.Equal(VideoStatus.Processing, video.Status);
        Assert.Equal(2, video.Attempts);
        Assert.Equal(Now.AddMinutes(1), video.ProcessingStartedAt);
    }

    [Fact]
    public void MarkProcessed_FromUploaded_ThrowsInvalidTransition()
    {
        var error = Assert.Throws<InvalidVideoTransitionException>(() => NewVideo().MarkProcessed("p", "poster.jpg", Now));

        Assert.Equal(VideoStatus.Uploaded, error.Status);
    }

    [Fact]
    public void StartProcessing_AfterProcessed_ThrowsInvalidTransition()
    {
        var video = NewVideo();
        video.StartProcessing(Now);
        video.MarkProcessed("p", "poster.jpg", Now);

        Assert.Equal(VideoStatus.Processed, Assert.Throws<InvalidVideoTransitionException>(() => video.StartProcessing(Now)).Status);
        Assert.Equal(VideoStatus.Processed, Assert.Throws<InvalidVideoTransitionException>(() => video.MarkFailed("late failure")).Status);
        Assert.Equal(VideoStatus.Processed, video.Status);
    }

    [Fact]
    public void MarkFailed_KeepsReasonAndIsFinal()
    {
        var video = NewVideo();
        video.StartProcessing(Now);

        video.MarkFailed("ffmpeg exited with code 1");

        Assert.Equal(VideoStatus.Failed, video.Status);
        Assert.Equal("ffmpeg exited with code 1", video.FailureReason);
        Assert.Equal(VideoStatus.Failed, Assert.Throws<InvalidVideoTransitionException>(() => video.StartProcessing(Now)).Status);
        Assert.Equal(VideoStatus.Failed, Assert.Throws<InvalidVideoTransitionException>(() => video.MarkProcessed("p", "poster.jpg", Now)).Status);
    }

    [Fact]
    public void MarkFailed_LongReason_IsCutTo500()
    {
        var video = NewVideo();

        video.MarkFailed(new string('x', 900));

        Assert.Equal(500, video.FailureReason!.Length);
    }

    [Fact]
    public void EnsureCanBeDeleted_ProcessedVideo_BreaksVideoAlreadyPublic()
    {
        var video = NewVideo();
        video.EnsureCanBeDeleted();
        video.StartProcessing(Now);
        video.MarkProcessed("p", "poster.jpg", Now);

        var error = Assert.Throws<DomainException>(video.EnsureCanBeDeleted);
        Assert.Equal(DomainRule.VideoAlreadyPublic, error.Rule);
    }

    [Fact]
    public void EnsureCanBeVotedBy_RequiresProcessedAndAnotherPlayer()
    {
        var video = NewVideo();
        var voter = Guid.NewGuid();

        Assert.Equal(DomainRule.VideoNotOpenForVoting, Assert.Throws<DomainException>(() => video.EnsureCanBeVotedBy(voter)).Rule);
        video.StartProcessing(Now);
        video.MarkProcessed("p", "poster.jpg", Now);

        video.EnsureCanBeVotedBy(voter);
        var own = Assert.Throws<DomainException>(() => video.EnsureCanBeVotedBy(Owner));
        Assert.Equal(DomainRule.OwnVideoVote, own.Rule);
    }

    [Fact]
    public void StoredObjectKeys_IncludesProcessedAndPosterOnlyWhenThere()
    {
        var video = NewVideo();
        Assert.Equal(["originals/x.mp4"], video.StoredObjectKeys());

        video.StartProcessing(Now);
        video.MarkProcessed("processed/x.mp4", "processed/x.jpg", Now);

        Assert.Equal(["originals/x.mp4", "processed/x.mp4", "processed/x.jpg"], video.StoredObjectKeys());
        Assert.Equal("processed/x.jpg", video.PosterKey);
    }

    [Fact]
    public void StartProcessing_UnderALease_RecordsOwnerAndExpiry()
    {
        var video = NewVideo();

        video.StartProcessing(Now, "worker-a", Now.AddMinutes(1));

        Assert.Equal((VideoStatus.Processing, "worker-a", Now.AddMinutes(1), 1), (video.Status, video.LeaseOwner, video.LeaseExpiresAt, video.Attempts));
        Assert.True(video.IsLeasedBy("worker-a"));
        Assert.False(video.IsLeasedBy("worker-b"));
    }

    [Fact]
    public void StartProcessing_WhileALeaseLives_ThrowsInvalidTransition()
    {
        var video = NewVideo();
        video.StartProcessing(Now, "worker-a", Now.AddMinutes(1));

        Assert.Throws<InvalidVideoTransitionException>(() => video.StartProcessing(Now.AddSeconds(59), "worker-b", Now.AddMinutes(2)));
        Assert.Throws<InvalidVideoTransitionException>(() => video.StartProcessing(Now.AddSeconds(59), "worker-a", Now.AddMinutes(2)));
        Assert.Equal(("worker-a", 1), (video.LeaseOwner, video.Attempts));
    }

    [Fact]
    public void StartProcessing_AfterTheLeaseExpired_AnotherWorkerTakesOver()
    {
        var video = NewVideo();
        video.StartProcessing(Now, "crashed", Now.AddMinutes(1));

        video.StartProcessing(Now.AddMinutes(2), "worker-b", Now.AddMinutes(3));

        Assert.Equal(("worker-b", Now.AddMinutes(3), 2), (video.LeaseOwner, video.LeaseExpiresAt, video.Attempts));
        Assert.False(video.IsLeasedBy("crashed"));
    }

    [Fact]
    public void MarkProcessedOrFailed_EndsTheLease()
    {
        var processed = NewVideo();
        processed.StartProcessing(Now, "worker-a", Now.AddMinutes(1));
        var failed = NewVideo();
        failed.StartProcessing(Now, "worker-a", Now.AddMinutes(1));

        processed.MarkProcessed("processed/x.mp4", "processed/x.jpg", Now);
        failed.MarkFailed("bad");

        Assert.Equal((null, null), (processed.LeaseOwner, processed.LeaseExpiresAt));
        Assert.Equal((null, null), (failed.LeaseOwner, failed.LeaseExpiresAt));
        Assert.False(processed.IsLeasedBy("worker-a"));
    }
}
