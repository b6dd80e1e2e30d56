namespace Anb.Application.Auth.LogIn;

public sealed record LogInResponse(string AccessToken, string TokenType, int ExpiresIn);
