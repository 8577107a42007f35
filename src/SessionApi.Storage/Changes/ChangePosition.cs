using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SessionApi.Storage.Changes;

/// <summary>
/// A place in the change feed: the server run that numbered the changes and the sequence number of
/// the last change seen. Its text form (<c>&lt;run&gt;-&lt;sequence&gt;</c>, e.g.
/// <c>9f86d081884c7d65-42</c>) is the event id of the event stream and what a client resumes from.
/// A sequence number means nothing in another run: a restarted server starts again from 0.
/// </summary>
public readonly record struct ChangePosition(string Run, long Sequence)
{
    private const char Separator = '-';

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Run}{Separator}{Sequence}");

    public static bool TryParse([NotNullWhen(true)] string? text, out ChangePosition position)
    {
        position = default;
        var at = text?.LastIndexOf(Separator) ?? -1;
        if (text is null || at <= 0
            || !long.TryParse(text.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            return false;
        }

        position = new ChangePosition(text[..at], sequence);
        return true;
    }
}
