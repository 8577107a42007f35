using SessionApi.Tests.Support;

namespace SessionApi.Tests.Api;

/// <summary>The app for the <c>GET /events</c> tests: an allowed origin, small replay and watcher queues, quick heartbeats.</summary>
public sealed class EventsFactory : ApiFactory
{
    public const string AllowedOrigin = "http://app.localhost:3000";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Security:AllowedOrigins:0"] = AllowedOrigin,
        ["Events:ReplayCapacity"] = "16",
        ["Events:WatcherCapacity"] = "8",
        ["Events:HeartbeatInterval"] = "00:00:00.200",

        // Each change handed over as it is published, not in batches a few milliseconds later:
        // a class's tests share this server (xunit makes one per class), and a batch still waiting
        // when a test ends would reach the next test's new watcher live. Batching has its own tests
        // (ChangeBatchingTests, on a fake clock); the process and client tests run it as shipped.
        ["Events:DeliveryDelay"] = "00:00:00",
    };
}
