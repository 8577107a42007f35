using System.Text.Json;
using System.Text.Json.Serialization;

namespace SessionApi.Client;

/// <summary>
/// How the client reads and writes JSON: session documents as raw bytes, and the document's string
/// enums by their wire names. The generated enums carry the server's member names (the document's
/// <c>x-enumNames</c>); their wire names follow one rule per enum, which System.Text.Json's naming
/// policies apply, and a test holds every value of the document to it.
/// </summary>
internal static class ClientJson
{
    /// <summary>The web defaults plus <see cref="Configure"/>: for bodies the generated transport does not read.</summary>
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>An enum value as the server writes it (<c>precondition_failed</c>), for messages a person reads.</summary>
    public static string WireName<T>(T value)
        where T : struct, Enum => JsonSerializer.Serialize(value, Options).Trim('"');

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new RawJsonBodyConverter());
        options.Converters.Add(new JsonStringEnumConverter<ProblemCode>(JsonNamingPolicy.SnakeCaseLower));
        options.Converters.Add(new JsonStringEnumConverter<ResetReason>(JsonNamingPolicy.SnakeCaseLower));
        options.Converters.Add(new JsonStringEnumConverter<SessionEventType>(JsonNamingPolicy.SnakeCaseLower));
        options.Converters.Add(new JsonStringEnumConverter<WriteMode>(JsonNamingPolicy.KebabCaseLower));
        options.Converters.Add(new JsonStringEnumConverter<TempCreateMode>(JsonNamingPolicy.KebabCaseLower));
        return options;
    }
}
