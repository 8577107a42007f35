namespace SessionApi.Storage.Writer;

internal enum DocumentProblem
{
    Malformed,
    NotAnObject,
    TooDeep,
    TooLarge,
}

/// <summary>The body cannot become a session document; nothing was written. The message is safe to show.</summary>
internal sealed class InvalidDocumentException : Exception
{
    public InvalidDocumentException(DocumentProblem problem, string message, Exception? innerException = null)
        : base(message, innerException) => Problem = problem;

    public InvalidDocumentException() : this(DocumentProblem.Malformed, "The document is not valid JSON.") { }

    public InvalidDocumentException(string message) : this(DocumentProblem.Malformed, message) { }

    public InvalidDocumentException(string message, Exception innerException) : this(DocumentProblem.Malformed, message, innerException) { }

    public DocumentProblem Problem { get; }
}
