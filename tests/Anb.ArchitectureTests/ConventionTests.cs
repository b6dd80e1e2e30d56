using System.Reflection;
using Mediator;

namespace Anb.ArchitectureTests;

public sealed class ConventionTests
{
    private static readonly Assembly Application = typeof(Anb.Application.DependencyInjection).Assembly;

    private static readonly Type[] HandlerInterfaces = [typeof(ICommandHandler<,>), typeof(IQueryHandler<,>)];

    public static TheoryData<Type> Handlers()
    {
        var data = new TheoryData<Type>();
        foreach (var type in Application.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && HandledMessage(t) is not null))
        {
            data.Add(type);
        }

        return data;
    }

    [Fact]
    public void Application_HasHandlers() => Assert.True(Handlers().Count >= 8, "The handler scan found too few handlers.");

    [Theory]
    [MemberData(nameof(Handlers))]
    public void Handler_IsSealedAndNamedAfterItsMessage(Type handler)
    {
        var message = HandledMessage(handler)!;

        Assert.True(handler.IsSealed, $"{handler.Name} must be sealed.");
        Assert.True(message.IsSealed, $"{message.Name} must be sealed.");
        Assert.EndsWith("Handler", handler.Name, StringComparison.Ordinal);
        var useCase = handler.Name[..^"Handler".Length];
        Assert.Contains(message.Name, new[] { useCase + "Command", useCase + "Query" });
        Assert.Equal(message.Namespace, handler.Namespace);
        Assert.EndsWith("." + useCase, handler.Namespace, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Handlers))]
    public void Handler_HasValidatorOnlyNamedByConvention(Type handler)
    {
        var message = HandledMessage(handler)!;
        var validators = Application.GetTypes()
            .Where(t => t.BaseType is { IsGenericType: true } b && b.GetGenericArguments()[0] == message)
            .ToList();

        foreach (var validator in validators)
        {
            Assert.Equal(handler.Name.Replace("Handler", "Validator", StringComparison.Ordinal), validator.Name);
            Assert.True(validator.IsSealed, $"{validator.Name} must be sealed.");
        }
    }

    private static Type? HandledMessage(Type type) =>
        type.GetInterfaces()
            .FirstOrDefault(i => i.IsGenericType && HandlerInterfaces.Contains(i.GetGenericTypeDefinition()))
            ?.GetGenericArguments()[0];
}
