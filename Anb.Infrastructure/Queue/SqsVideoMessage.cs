using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Anb.Infrastructure.Queue;

/// <summary>The body of a processing task on SQS: <c>{"video_id":"...","enqueued_at":"...Z"}</c>.</summary>
internal sealed record SqsVideoMessage(
    [property: JsonPropertyName("video_id")] Guid VideoId,
    [property: JsonPropertyName("enqueued_at")] DateTime EnqueuedAt)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    public static bool TryParse(string? body, [NotNullWhen(true)] out SqsVideoMessage? message)
    {
        message = null;
        if (string.IsNullOrWhiteSpace(body))
        {
            return false;
        }

        try
        {
            message = JsonSerializer.Deserialize<SqsVideoMessage>(body);
        }
        catch (JsonException)
        {
            return false;
        }

        return message is not null && message.VideoId != Guid.Empty;
    }
}
