namespace Anb.Application.Auth.SignUp;

public sealed record SignUpResponse(string Message, Guid UserId);
