namespace Anb.Domain.Videos;

/// <summary>A status change the video's state machine does not allow; a defect of the caller, never a client's doing.</summary>
public sealed class InvalidVideoTransitionException(VideoStatus status, string change)
    : InvalidOperationException($"A video in status '{status}' cannot {change}.")
{
    public VideoStatus Status { get; } = status;
}
