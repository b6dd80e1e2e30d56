using Anb.Domain.Users;

namespace Anb.Application.Abstractions;

public sealed record AccessToken(string Value, int ExpiresInSeconds);

/// <summary>Issues signed bearer tokens that identify a player.</summary>
public interface IAccessTokenIssuer
{
    AccessToken Issue(User user);
}
