using SessionApi.Storage.History;
using SessionApi.Storage.Sessions;
using SessionApi.Storage.Store;
using static SessionApi.Tests.Support.Ids;

namespace SessionApi.Tests.Support;

/// <summary>The history tests' documents: numbered (and padded to a size), saved unconditionally, and where a version of one lies.</summary>
internal static class HistoryDocuments
{
    public static string Doc(int n, int padding = 0) => $"{{\"n\":{n},\"pad\":\"{new string('x', padding)}\"}}";

    public static async Task Save(SessionStore store, string id, string json) =>
        Assert.NotEqual(SaveOutcome.PreconditionFailed, (await store.SaveAsync(Id(id), Bodies.Of(json), Precondition.None, default)).Outcome);

    public static string VersionFile(string root, string id, SessionVersion version) => Path.Combine(root, ".history", id, version.Version + ".json");
}
