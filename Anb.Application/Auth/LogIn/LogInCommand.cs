using Mediator;

namespace Anb.Application.Auth.LogIn;

public sealed record LogInCommand(string? Email, string? Password) : ICommand<LogInResponse>;
