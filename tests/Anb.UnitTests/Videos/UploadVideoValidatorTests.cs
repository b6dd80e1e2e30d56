using Anb.Application.Videos.UploadVideo;
using Microsoft.Extensions.Options;

namespace Anb.UnitTests.Videos;

public sealed class UploadVideoValidatorTests
{
    private readonly UploadVideoValidator validator = new(Options.Create(new UploadOptions { MaxBytes = 1000 }));

    [Fact]
    public void Validate_TitleAndFile_Passes() =>
        Assert.True(validator.Validate(new UploadVideoCommand(Guid.NewGuid(), "Título", "/tmp/x", 10)).IsValid);

    [Theory]
    [InlineData(null, "/tmp/x", 10, "El campo title es obligatorio.")]
    [InlineData("   ", "/tmp/x", 10, "El campo title es obligatorio.")]
    [InlineData("ok", null, 0, "El campo video_file es obligatorio.")]
    [InlineData("ok", "/tmp/x", 1001, "El archivo supera el tamaño máximo de 0 MB.")]
    public void Validate_BadInput_SaysWhy(string? title, string? path, long size, string message)
    {
        var result = validator.Validate(new UploadVideoCommand(Guid.NewGuid(), title, path, size));

        Assert.Contains(result.Errors, e => e.ErrorMessage == message);
    }

    [Fact]
    public void Validate_TitleOver200_SaysLength()
    {
        var result = validator.Validate(new UploadVideoCommand(Guid.NewGuid(), new string('t', 201), "/tmp/x", 10));

        Assert.Equal("El título debe tener entre 1 y 200 caracteres.", Assert.Single(result.Errors).ErrorMessage);
    }
}
