using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using SessionApi.Storage.Sessions;
using SessionApi.Storage.Store;

namespace SessionApi.Tests.Support;

/// <summary>
/// The store as the HTTP layer sees it (<see cref="ISessionStore"/>), every call passed to the real
/// one, and told to a test: <see cref="NextWaitingCall"/> completes when a save or delete of a
/// session has entered the store and waits there, its task still running when the store's method
/// returns. The store takes a session's lock first thing, synchronously until it must wait for it:
/// while another save holds the lock, that is where the call waits.
/// </summary>
public sealed class ObservedSessionStore(ISessionStore inner) : ISessionStore
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> waiting = new(StringComparer.Ordinal);

    /// <summary>Replaces the app's <see cref="ISessionStore"/> with one observing the real store.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton(provider => new ObservedSessionStore(provider.GetRequiredService<SessionStore>()));
        services.AddSingleton<ISessionStore>(provider => provider.GetRequiredService<ObservedSessionStore>());
    }

    /// <summary>Completes when the next save or delete of <paramref name="id"/> called from now on waits inside the store.</summary>
    public Task NextWaitingCall(string id) =>
        waiting.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public string Root => inner.Root;

    public IReadOnlyList<SessionInfo> List() => inner.List();

    public SessionInfo? Find(SessionId id) => inner.Find(id);

    public Task<SessionRead?> ReadAsync(SessionId id, CancellationToken cancellationToken) => inner.ReadAsync(id, cancellationToken);

    public Task<SaveResult> SaveAsync(SessionId id, Stream body, Precondition precondition, CancellationToken cancellationToken) =>
        Observe(id, inner.SaveAsync(id, body, precondition, cancellationToken));

    public Task<DeleteResult> DeleteAsync(SessionId id, Precondition precondition, CancellationToken cancellationToken) =>
        Observe(id, inner.DeleteAsync(id, precondition, cancellationToken));

    public StoreDiagnostics GetDiagnostics() => inner.GetDiagnostics();

    private Task<T> Observe<T>(SessionId id, Task<T> call)
    {
        if (!call.IsCompleted && waiting.TryRemove(id.Value, out var signal))
        {
            signal.TrySetResult();
        }

        return call;
    }
}
