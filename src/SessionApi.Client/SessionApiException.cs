using System.Text.Json;

namespace SessionApi.Client;

/// <summary>
/// An error answer of SessionApi: its RFC 9457 problem details with the stable <see cref="Code"/>.
/// Transport failures (connection refused, timeouts, an open circuit) are not wrapped: they stay
/// <see cref="HttpRequestException"/>, Polly's TimeoutRejectedException and BrokenCircuitException.
/// </summary>
public sealed class SessionApiException : Exception
{
    public SessionApiException()
    {
    }

    public SessionApiException(string message)
        : base(message)
    {
    }

    public SessionApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal SessionApiException(int status, ProblemDetails? problem, string? rawBody, Exception? innerException)
        : base(Describe(status, problem, rawBody), innerException)
    {
        Status = status;
        Problem = problem;
    }

    /// <summary>The HTTP status code.</summary>
    public int Status { get; }

    /// <summary>The stable machine-readable code (the document's <c>ProblemCode</c>), or null when the answer was not a problem (or a code this client does not know yet).</summary>
    public ProblemCode? Code => Problem?.Code;

    public string? Title => Problem?.Title;

    public string? Detail => Problem?.Detail;

    public string? Type => Problem?.Type;

    /// <summary>The whole problem, extensions included, or null when the body was not a problem.</summary>
    public ProblemDetails? Problem { get; }

    internal static SessionApiException From(SessionApiGeneratedException exception)
    {
        if (exception is SessionApiGeneratedException<ProblemDetails> typed)
        {
            return new SessionApiException(typed.StatusCode, typed.Result, null, exception);
        }

        // A status the document does not declare for the operation (403 Origin, 429, 500): the body
        // is still a problem when the server wrote it, so parse what the generated code kept as text.
        return new SessionApiException(exception.StatusCode, TryParseProblem(exception.Response), exception.Response, exception);
    }

    /// <summary>An error answer the generated transport did not read (the event stream's).</summary>
    internal static async Task<SessionApiException> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return new SessionApiException((int)response.StatusCode, TryParseProblem(body), body, null);
    }

    private static ProblemDetails? TryParseProblem(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ProblemDetails>(body, ClientJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(int status, ProblemDetails? problem, string? rawBody) =>
        problem is null
            ? $"SessionApi answered {status}{(string.IsNullOrEmpty(rawBody) ? "" : ": " + Truncate(rawBody))}"
            : $"SessionApi answered {status} {(problem.Code is { } code ? ClientJson.WireName(code) : "")}: {problem.Title}{(string.IsNullOrEmpty(problem.Detail) ? "" : " (" + problem.Detail + ")")}";

    private static string Truncate(string text) => text.Length <= 256 ? text : text[..256] + "…";
}
