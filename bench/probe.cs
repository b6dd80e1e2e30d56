#:project ../Anb.Infrastructure/Anb.Infrastructure.csproj
// Times the upload's in-process MP4 header probe (the API's own IVideoProbe) on one clip, for bench/probe.sh:
//   dotnet run --file bench/probe.cs -c Release -- CLIP CALLS
// Prints "probe <calls> <wall seconds> <cpu seconds>" after a warm-up, and fails if a call does not read the clip.
using System.Diagnostics;
using System.Globalization;
using Anb.Application.Abstractions;
using Anb.Infrastructure.Media;
using Microsoft.Extensions.DependencyInjection;

if (args is not [var clip, var count] || !int.TryParse(count, CultureInfo.InvariantCulture, out var calls) || calls < 1)
{
    await Console.Error.WriteLineAsync("usage: dotnet run --file bench/probe.cs -c Release -- CLIP CALLS");
    return 2;
}

await using var services = new ServiceCollection().AddVideoProbe().BuildServiceProvider();
var probe = services.GetRequiredService<IVideoProbe>();
for (var i = 0; i < Math.Min(calls, 50); i++)
{
    _ = await probe.ProbeAsync(clip, CancellationToken.None) ?? throw new InvalidOperationException($"{clip} is not read as a video");
}

var process = Process.GetCurrentProcess();
process.Refresh();
var cpu = process.TotalProcessorTime;
var started = Stopwatch.GetTimestamp();
for (var i = 0; i < calls; i++)
{
    _ = await probe.ProbeAsync(clip, CancellationToken.None) ?? throw new InvalidOperationException($"{clip} is not read as a video");
}

var wall = Stopwatch.GetElapsedTime(started);
process.Refresh();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"probe {calls} {wall.TotalSeconds:F6} {(process.TotalProcessorTime - cpu).TotalSeconds:F6}"));
return 0;
