using Anb.Application.Common.Exceptions;
using Anb.Application.Common.Messages;
using Anb.Domain.Common;
using Mediator;

namespace Anb.Application.Common.Behaviors;

/// <summary>Turns a rule the domain refused into the client's message for it (400).</summary>
public sealed class DomainRuleBehavior<TMessage, TResponse> : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(
        TMessage message,
        MessageHandlerDelegate<TMessage, TResponse> next,
        CancellationToken cancellationToken)
    {
        try
        {
            return await next(message, cancellationToken);
        }
        catch (DomainException ex)
        {
            throw new BusinessRuleException(ClientMessages.For(ex.Rule), ex);
        }
    }
}
