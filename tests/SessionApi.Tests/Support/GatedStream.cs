namespace SessionApi.Tests.Support;

/// <summary>A request body that delivers nothing until <paramref name="gate"/> completes: holds a save (and its session's lock) open.</summary>
public sealed class GatedStream(byte[] data, Task gate) : MemoryStream(data)
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        return await base.ReadAsync(buffer, cancellationToken);
    }
}
