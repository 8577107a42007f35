using System.Text.Json;
using System.Text.Json.Serialization;

namespace SessionApi.Client;

/// <summary>
/// A session document as raw UTF-8 bytes, carried through the generated transport in place of the
/// <c>object</c> that NSwag generates for the document schema (<c>type: object</c>, no properties).
/// </summary>
/// <remarks>
/// The server stores and serves the document byte for byte, so the client must too: serializing a
/// <see cref="JsonElement"/> or a model would re-format it (whitespace, escapes, number spelling)
/// and change its ETag. Requests write the bytes with <see cref="Utf8JsonWriter.WriteRawValue(ReadOnlySpan{byte}, bool)"/>
/// unvalidated (the server is the validator and answers 400 invalid_json); responses are read as
/// bytes by <see cref="SessionApiTransport"/> instead of being deserialized.
/// </remarks>
internal sealed class RawJsonBody(ReadOnlyMemory<byte> utf8Json)
{
    public ReadOnlyMemory<byte> Utf8Json { get; } = utf8Json;
}

/// <summary>Writes a <see cref="RawJsonBody"/> verbatim; registered in the generated client's serializer options.</summary>
internal sealed class RawJsonBodyConverter : JsonConverter<RawJsonBody>
{
    public override RawJsonBody Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Session documents are read as bytes by SessionApiTransport, never deserialized.");

    public override void Write(Utf8JsonWriter writer, RawJsonBody value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Utf8Json.Span, skipInputValidation: true);
}
