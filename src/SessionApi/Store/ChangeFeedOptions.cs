using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SessionApi.Store;

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
}

/// <summary>The DataAnnotations of <see cref="ChangeFeedOptions"/>, checked by build-time generated code.</summary>
[OptionsValidator]
public sealed partial class ChangeFeedOptionsValidator : IValidateOptions<ChangeFeedOptions>;
