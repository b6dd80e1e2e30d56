using Mediator;

namespace Anb.Application.Videos.ProcessVideo;

/// <summary>One processing task for one video, as delivered by the queue (possibly more than once).</summary>
/// <param name="LastDelivery">The queue will not deliver this task again (SQS: the last receive before the
/// dead-letter queue), so a failure now is final whatever the attempt count says.</param>
public sealed record ProcessVideoCommand(Guid VideoId, bool LastDelivery = false) : ICommand<ProcessVideoOutcome>;
