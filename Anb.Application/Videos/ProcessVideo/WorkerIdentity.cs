namespace Anb.Application.Videos.ProcessVideo;

/// <summary>
/// The name a worker process writes as the owner of the video leases it takes: machine, process id and a
/// random part, so a restarted process (same id in a new container) never mistakes an old lease for its own.
/// </summary>
public sealed class WorkerIdentity
{
    public const int MaxLength = 200;

    public WorkerIdentity(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(name.Length, MaxLength, nameof(name));
        Name = name;
    }

    public string Name { get; }

    public static WorkerIdentity ForThisProcess()
    {
        var machine = Environment.MachineName;
        return new($"{(machine.Length > 100 ? machine[..100] : machine)}/{Environment.ProcessId}/{Guid.NewGuid():N}");
    }

    public override string ToString() => Name;
}
