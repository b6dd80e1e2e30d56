using System.ComponentModel.DataAnnotations;

namespace Anb.Infrastructure.Common;

/// <summary>The value is an absolute http(s) URL; an empty value passes (pair with <c>[Required]</c> when it must be set).</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class HttpUrlAttribute : ValidationAttribute
{
    public HttpUrlAttribute()
        : base("{0} must be an absolute http(s) URL.")
    {
    }

    public override bool IsValid(object? value) =>
        value is not string text || text.Length == 0 || (Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps));
}
