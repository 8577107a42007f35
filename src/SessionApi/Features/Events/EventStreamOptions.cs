using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using SessionApi.Foundation;

namespace SessionApi.Features.Events;

/// <summary>The event stream's part of the <c>Events</c> configuration section.</summary>
public sealed class EventStreamOptions
{
    public const string SectionName = "Events";

    /// <summary>
    /// How often an idle <c>GET /events</c> stream sends a comment line (default 15 s), so that the
    /// client, and anything between, can tell a quiet stream from a dead connection.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRange.Justification)]
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>The DataAnnotations of <see cref="EventStreamOptions"/>, checked by build-time generated code (no reflection).</summary>
[OptionsValidator]
public sealed partial class EventStreamOptionsValidator : IValidateOptions<EventStreamOptions>;
