using Anb.Tests.Shared;

namespace Anb.FunctionalTests.Telemetry;

/// <summary>The trace and metrics of <see cref="TelemetryTests"/> with the task on SQS (moto): the trace context travels as message attributes.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class SqsTelemetryTests(SqsTelemetryTests.Stack stack) : IClassFixture<SqsTelemetryTests.Stack>
{
    public sealed class Stack : TelemetryStack
    {
        private readonly MotoServerFixture moto = new();
        private string queueUrl = string.Empty;

        public override async Task InitializeAsync()
        {
            await moto.InitializeAsync();
            queueUrl = await moto.CreateQueueAsync("telemetry");
            await base.InitializeAsync();
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await moto.DisposeAsync();
        }

        protected override IEnumerable<KeyValuePair<string, string?>> QueueSettings() =>
            moto.AdapterSettings("unused", queueUrl).Where(p => p.Key.StartsWith("Queue:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Upload_OnSqs_IsOneTraceFromTheRequestToProcessed_AndCountsOnce() =>
        await TelemetryTests.UploadIsOneTraceAsync(stack, "aws_sqs");
}
