using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using SessionApi.Foundation;

namespace SessionApi.Storage.Changes;

/// <summary>The store's part of the <c>Events</c> configuration section: how much of the change feed is kept.</summary>
public sealed class ChangeFeedOptions
{
    public const string SectionName = "Events";

    /// <summary>
    /// How many of the latest changes are kept in memory for watchers that reconnect (default 1,024).
    /// A watcher that missed more than this gets a reset and lists again.
    /// </summary>
    [Range(1, 1_000_000)]
    public int ReplayCapacity { get; set; } = 1024;

    /// <summary>
    /// How many changes may wait for one watcher that does not keep up (default 256). One more and
    /// that watcher is dropped with a reset instead of ever slowing a save down.
    /// </summary>
    [Range(1, 100_000)]
    public int WatcherCapacity { get; set; } = 256;

    /// <summary>
    /// How long a change waits for more changes to go with it to the watchers (default 2 ms; 0 hands
    /// each change over the moment it is durable).
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRange.Justification)]
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan DeliveryDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// The longest a change waits in a busy stream of changes (default 10 ms), however many follow it.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRange.Justification)]
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan MaxDeliveryDelay { get; set; } = TimeSpan.FromMilliseconds(10);
}

/// <summary>The DataAnnotations of <see cref="ChangeFeedOptions"/>, checked by build-time generated code.</summary>
[OptionsValidator]
internal sealed partial class ChangeFeedOptionsValidator : IValidateOptions<ChangeFeedOptions>;
