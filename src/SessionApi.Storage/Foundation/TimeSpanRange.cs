namespace SessionApi.Foundation;

/// <summary>Why the <c>[Range(typeof(TimeSpan), ...)]</c> attributes of the options are trimming-safe here.</summary>
internal static class TimeSpanRange
{
    /// <summary>
    /// RangeAttribute(Type, string, string) converts its bounds with a TypeConverter found by
    /// reflection, hence RequiresUnreferencedCode. These attributes are never evaluated that way: the
    /// options validators are generated at build time ([OptionsValidator]), which read the bounds from
    /// the attribute's arguments and compare TimeSpans with their own code (TimeSpan.TryParse).
    /// </summary>
    public const string Justification =
        "Checked by the [OptionsValidator]-generated validator, which parses the TimeSpan bounds itself; the attribute's TypeConverter path never runs.";
}
