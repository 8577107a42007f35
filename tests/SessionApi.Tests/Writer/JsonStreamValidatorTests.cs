using System.Text;
using SessionApi.Storage.Writer;

namespace SessionApi.Tests.Writer;

public class JsonStreamValidatorTests
{
    [Theory]
    [InlineData("{}")]
    [InlineData(" {\"a\":[1,2,{\"b\":null}],\"c\":\"\\u00e9\\n\"} \n")]
    [InlineData("{\"emoji\":\"\U0001F600\",\"n\":-1.5e3}")]
    public void Accepts_objects_fed_one_byte_at_a_time(string json) =>
        Assert.Null(Record.Exception(() => FeedInChunks(Encoding.UTF8.GetBytes(json), chunk: 1, maxDepth: 64)));

    [Theory]
    [InlineData("[1,2]", DocumentProblem.NotAnObject)]
    [InlineData("\"text\"", DocumentProblem.NotAnObject)]
    [InlineData("42", DocumentProblem.NotAnObject)]
    [InlineData("null", DocumentProblem.NotAnObject)]
    [InlineData("", DocumentProblem.Malformed)]
    [InlineData("   ", DocumentProblem.Malformed)]
    [InlineData("{", DocumentProblem.Malformed)]
    [InlineData("{\"a\":1", DocumentProblem.Malformed)]
    [InlineData("{\"a\":1}}", DocumentProblem.Malformed)]
    [InlineData("{\"a\":1} {}", DocumentProblem.Malformed)]
    [InlineData("{\"a\":1,}", DocumentProblem.Malformed)]
    [InlineData("{/*c*/\"a\":1}", DocumentProblem.Malformed)]
    [InlineData("{'a':1}", DocumentProblem.Malformed)]
    [InlineData("{\"a\":NaN}", DocumentProblem.Malformed)]
    public void Refuses_what_is_not_one_json_object(string json, object expected)
    {
        var error = Assert.Throws<InvalidDocumentException>(() => FeedInChunks(Encoding.UTF8.GetBytes(json), chunk: 3, maxDepth: 64));
        Assert.Equal((DocumentProblem)expected, error.Problem);
    }

    [Fact]
    public void Refuses_invalid_utf8_inside_strings()
    {
        byte[] json = [.. "{\"a\":\""u8, 0xC3, 0x28, .. "\"}"u8];
        Assert.Equal(DocumentProblem.Malformed, Assert.Throws<InvalidDocumentException>(() => FeedInChunks(json, 2, 64)).Problem);
    }

    [Fact]
    public void Enforces_the_depth_limit_exactly()
    {
        static string Nested(int depth) => "{" + string.Concat(Enumerable.Repeat("\"a\":{", depth - 1)) + new string('}', depth);
        FeedInChunks(Encoding.UTF8.GetBytes(Nested(8)), 5, maxDepth: 8);
        var error = Assert.Throws<InvalidDocumentException>(() => FeedInChunks(Encoding.UTF8.GetBytes(Nested(9)), 5, maxDepth: 8));
        Assert.Equal(DocumentProblem.TooDeep, error.Problem);
    }

    /// <summary>Feeds the way the stager does: unconsumed bytes are carried into the next call.</summary>
    private static void FeedInChunks(byte[] json, int chunk, int maxDepth)
    {
        var validator = new JsonStreamValidator(maxDepth);
        var pending = new List<byte>();
        for (var offset = 0; ; offset += chunk)
        {
            var take = Math.Max(0, Math.Min(chunk, json.Length - offset));
            pending.AddRange(json.AsSpan(Math.Min(offset, json.Length), take).ToArray());
            var final = take == 0;
            var consumed = validator.Feed(pending.ToArray(), final);
            pending.RemoveRange(0, consumed);
            if (final)
            {
                return;
            }
        }
    }
}
