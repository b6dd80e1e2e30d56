using Mediator;

namespace Anb.Application.Videos.RecoverStaleVideos;

/// <summary>Finds videos a crashed worker or a lost task left behind and puts them back in the queue.</summary>
public sealed record RecoverStaleVideosCommand(int MaxVideos = 100) : ICommand<RecoverStaleVideosResult>;
