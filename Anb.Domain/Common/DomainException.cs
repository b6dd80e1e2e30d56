namespace Anb.Domain.Common;

/// <summary>A business rule of the domain was broken; <see cref="Rule"/> says which, the application picks the words.</summary>
public sealed class DomainException(DomainRule rule) : Exception($"Domain rule broken: {rule}.")
{
    public DomainRule Rule { get; } = rule;
}
