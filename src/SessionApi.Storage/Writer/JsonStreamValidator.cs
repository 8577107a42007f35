using System.Text.Json;
using System.Text.Unicode;

namespace SessionApi.Storage.Writer;

/// <summary>
/// Validates a JSON document fed in chunks, without building it: the root must be an object, the
/// nesting within the limit, the UTF-8 and syntax well-formed (no comments, no trailing commas, one
/// value). Only the unconsumed tail of a chunk (at most one token) has to be kept between calls.
/// </summary>
internal struct JsonStreamValidator(int maxDepth)
{
    private JsonReaderState state = new(new JsonReaderOptions
    {
        // One above ours so that our check, with its clearer message, trips first.
        MaxDepth = maxDepth + 1,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    });

    private bool sawRoot;

    /// <summary>Validates as much of <paramref name="data"/> as forms whole tokens; returns how many bytes that was.</summary>
    public int Feed(ReadOnlySpan<byte> data, bool isFinalBlock)
    {
        var reader = new Utf8JsonReader(data, isFinalBlock, state);
        try
        {
            while (reader.Read())
            {
                if (!sawRoot)
                {
                    sawRoot = true;
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw new InvalidDocumentException(
                            DocumentProblem.NotAnObject,
                            $"A session document must be a JSON object, not {Describe(reader.TokenType)}.");
                    }
                }

                // Utf8JsonReader checks structure, not the UTF-8 inside strings; a document a browser's
                // TextDecoder would mangle on load must be refused on save.
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && !Utf8.IsValid(reader.ValueSpan))
                {
                    throw new InvalidDocumentException(
                        DocumentProblem.Malformed,
                        "The body is not valid JSON: invalid UTF-8 inside a string.");
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= maxDepth)
                {
                    throw new InvalidDocumentException(
                        DocumentProblem.TooDeep,
                        $"The document nests deeper than {maxDepth} levels.");
                }
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDocumentException(DocumentProblem.Malformed, $"The body is not valid JSON: {e.Message}", e);
        }

        state = reader.CurrentState;
        return checked((int)reader.BytesConsumed);
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
