using Polly.CircuitBreaker;

namespace SessionApi.Storage.Writer;

/// <summary>
/// Which replace strategy the root needs now, for diagnostics: the verified copy while the rename
/// circuit is open (rename refused recently) or when the last replace needed it; atomic rename
/// otherwise. Seeded by the startup probe so a virtualized machine shows up before the first save.
/// </summary>
internal sealed class WriteModeTracker
{
    private volatile int lastMode = (int)WriteMode.AtomicRename;

    public CircuitBreakerStateProvider RenameCircuit { get; } = new();

    public WriteMode Current =>
        RenameCircuit.CircuitState is CircuitState.Open or CircuitState.HalfOpen or CircuitState.Isolated
            ? WriteMode.VerifiedCopy
            : (WriteMode)lastMode;

    public void Record(WriteMode mode) => lastMode = (int)mode;
}
