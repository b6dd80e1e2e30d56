using Anb.Application.Common.Messages;
using Anb.Domain.Common;

namespace Anb.UnitTests.Common.Messages;

public sealed class ClientMessagesTests
{
    public static TheoryData<DomainRule, string> RuleMessages() => new()
    {
        { DomainRule.TitleTooLong, ClientMessages.Videos.TitleTooLong(200) },
        { DomainRule.VideoAlreadyPublic, ClientMessages.Videos.AlreadyPublic },
        { DomainRule.VideoNotOpenForVoting, ClientMessages.Videos.NotOpenForVoting },
        { DomainRule.OwnVideoVote, ClientMessages.Videos.OwnVideoVote },
    };

    [Theory]
    [MemberData(nameof(RuleMessages))]
    public void For_Rule_GivesItsContractMessage(DomainRule rule, string message) =>
        Assert.Equal(message, ClientMessages.For(rule));

    [Fact]
    public void For_EveryDomainRule_HasItsOwnMessage()
    {
        var rules = Enum.GetValues<DomainRule>();

        var messages = rules.Select(ClientMessages.For).ToList();

        Assert.All(messages, m => Assert.False(string.IsNullOrWhiteSpace(m)));
        Assert.Equal(rules.Length, messages.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void For_UndefinedRule_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ClientMessages.For((DomainRule)(-1)));
}
