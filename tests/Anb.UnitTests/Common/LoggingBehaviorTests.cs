using Anb.Application.Auth.SignUp;
using Anb.Application.Common.Behaviors;
using Anb.Application.Common.Exceptions;
using Anb.UnitTests.Auth.SignUp;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Anb.UnitTests.Common;

public sealed class LoggingBehaviorTests
{
    private readonly CapturingLogger logger = new();

    public static TheoryData<AppException> Refusals() => new()
    {
        new NotFoundException("El video no existe."),
        new RequestValidationException("El campo first_name es obligatorio."),
        new BusinessRuleException("Ya votaste por este video."),
    };

    [Fact]
    public async Task Handle_Handled_LogsDebugWithTheMessageNameAndReturnsTheResponse()
    {
        var expected = new SignUpResponse("ok", Guid.NewGuid());

        var response = await Handle((_, _) => ValueTask.FromResult(expected));

        Assert.Same(expected, response);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Debug, entry.Level);
        Assert.Equal(nameof(SignUpCommand), entry.Value("Message"));
        Assert.IsType<double>(entry.Value("ElapsedMs"));
        Assert.StartsWith("SignUpCommand handled in ", entry.Text, StringComparison.Ordinal);
        Assert.Null(entry.Exception);
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Handle_AppException_LogsInformationRefusedWithTheOutcomeAndRethrowsIt(AppException refusal)
    {
        var thrown = await Assert.ThrowsAnyAsync<AppException>(() => Handle((_, _) => throw refusal).AsTask());

        Assert.Same(refusal, thrown);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Equal(nameof(SignUpCommand), entry.Value("Message"));
        Assert.Equal(refusal.GetType().Name, entry.Value("Outcome"));
        Assert.StartsWith($"SignUpCommand refused with {refusal.GetType().Name} in ", entry.Text, StringComparison.Ordinal);
        Assert.Null(entry.Exception);
    }

    [Fact]
    public async Task Handle_OtherException_LogsErrorWithTheExceptionAndRethrowsIt()
    {
        var failure = new InvalidOperationException("database down");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => Handle((_, _) => throw failure).AsTask());

        Assert.Same(failure, thrown);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Same(failure, entry.Exception);
        Assert.Equal(nameof(SignUpCommand), entry.Value("Message"));
        Assert.StartsWith("SignUpCommand failed after ", entry.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_Cancelled_RethrowsWithoutLoggingAWarningOrError()
    {
        var cancelled = new OperationCanceledException("the request was aborted");

        var thrown = await Assert.ThrowsAsync<OperationCanceledException>(() => Handle((_, _) => throw cancelled).AsTask());

        Assert.Same(cancelled, thrown);
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    private ValueTask<SignUpResponse> Handle(MessageHandlerDelegate<SignUpCommand, SignUpResponse> next) =>
        new LoggingBehavior<SignUpCommand, SignUpResponse>(logger).Handle(SignUpValidatorTests.Valid(), next, default);

    /// <summary>What was logged: level, rendered text, exception and the structured values.</summary>
    private sealed record Entry(LogLevel Level, string Text, Exception? Exception, IReadOnlyList<KeyValuePair<string, object?>> State)
    {
        public object? Value(string name) => State.Single(p => p.Key == name).Value;
    }

    private sealed class CapturingLogger : ILogger<LoggingBehavior<SignUpCommand, SignUpResponse>>
    {
        public List<Entry> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add(new Entry(
                logLevel,
                formatter(state, exception),
                exception,
                state as IReadOnlyList<KeyValuePair<string, object?>> ?? []));
    }
}
