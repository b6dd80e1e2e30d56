using Mediator;

namespace Anb.Application.Videos.ProcessVideo;

/// <summary>One processing task for one video, as delivered by the queue (possibly more than once).</summary>
public sealed record ProcessVideoCommand(Guid VideoId) : ICommand<ProcessVideoOutcome>;
