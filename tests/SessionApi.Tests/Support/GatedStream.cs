namespace SessionApi.Tests.Support;

/// <summary>
/// A request body that delivers nothing until <paramref name="gate"/> completes: holds a save (and its
/// session's lock) open. <see cref="ReadStarted"/> completes when the save first reads it, which the
/// store does only once it holds the session's lock and has created its temp file.
/// </summary>
public sealed class GatedStream(byte[] data, Task gate) : MemoryStream(data)
{
    private readonly TaskCompletionSource readStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task ReadStarted => readStarted.Task;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        readStarted.TrySetResult();
        await gate.WaitAsync(cancellationToken);
        return await base.ReadAsync(buffer, cancellationToken);
    }
}
