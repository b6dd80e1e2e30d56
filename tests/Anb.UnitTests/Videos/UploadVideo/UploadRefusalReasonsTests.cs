using Anb.Application.Common.Exceptions;
using Anb.Application.Videos.UploadVideo;

namespace Anb.UnitTests.Videos.UploadVideo;

public sealed class UploadRefusalReasonsTests
{
    public static TheoryData<Exception, string> Refusals() => new()
    {
        { new RequestValidationException("x") { Code = UploadRefusalReasons.Duration }, "duration" },
        { new RequestValidationException("x") { Code = UploadRefusalReasons.TooLarge }, "too_large" },
        { new RequestValidationException("x") { Code = "NotEmptyValidator" }, "invalid" }, // FluentValidation's own code: a missing field
        { new RequestValidationException("x"), "invalid" },
        { new ServiceUnavailableException("x", new IOException()), "unavailable" },
        { new IOException("disk"), "unavailable" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Of_MapsTheFailureToItsReason(Exception exception, string reason) =>
        Assert.Equal(reason, UploadRefusalReasons.Of(exception));
}
