using System.Net;
using System.Net.Http.Headers;

namespace SessionApi.Tests.Support;

/// <summary>
/// A JSON request body that sends nothing until its gate completes: the server's save
/// of it holds its session's lock until then.
/// </summary>
public sealed class GatedContent : HttpContent
{
    private readonly byte[] data;
    private readonly Task gate;

    public GatedContent(byte[] data, Task gate)
    {
        this.data = data;
        this.gate = gate;
        Headers.ContentType = new MediaTypeHeaderValue("application/json");
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await gate;
        await stream.WriteAsync(data);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = data.Length;
        return true;
    }
}
