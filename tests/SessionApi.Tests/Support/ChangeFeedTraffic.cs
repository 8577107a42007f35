using SessionApi.Storage.Changes;
using SessionApi.Storage.Sessions;
using static SessionApi.Tests.Support.Ids;

namespace SessionApi.Tests.Support;

/// <summary>Changes published straight into a feed, and a watcher's queue read empty, for the feed's own tests.</summary>
internal static class ChangeFeedTraffic
{
    public static void Save(SessionChanges feed, string id) =>
        feed.Publish(SessionChangeKind.Saved, Id(id), new SessionInfo(id, 2, DateTimeOffset.UnixEpoch, "\"e\""));

    public static List<SessionChange> Drain(ChangeSubscription subscription)
    {
        var changes = new List<SessionChange>();
        while (subscription.Changes.TryRead(out var change))
        {
            changes.Add(change);
        }

        return changes;
    }
}
