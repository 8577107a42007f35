using System.Text;

namespace SessionApi.Tests.Support;

public static class Bodies
{
    public static MemoryStream Of(string json) => new(Encoding.UTF8.GetBytes(json));

    /// <summary>A realistic chat session of about <paramref name="approximateBytes"/> bytes: many messages, no giant token.</summary>
    public static byte[] Session(int approximateBytes, int seed = 0)
    {
        var text = new StringBuilder("{\"id\":\"s").Append(seed).Append("\",\"messages\":[");
        var i = 0;
        while (text.Length < approximateBytes)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append("{\"role\":\"user\",\"n\":").Append(i++).Append(",\"text\":\"seed ").Append(seed).Append(" lorem ipsum dolor sit amet \\u00e9 consectetur\"}");
        }

        return Encoding.UTF8.GetBytes(text.Append("]}").ToString());
    }
}
