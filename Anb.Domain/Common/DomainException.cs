namespace Anb.Domain.Common;

/// <summary>A business rule of the domain was broken; the message is safe to show to a client.</summary>
public class DomainException(string message) : Exception(message);
