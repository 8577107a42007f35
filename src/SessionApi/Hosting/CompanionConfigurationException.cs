namespace SessionApi.Hosting;

/// <summary>A configuration or command-line error; the message is the one line printed on stderr.</summary>
public sealed class CompanionConfigurationException : Exception
{
    public CompanionConfigurationException() : base("Invalid configuration.") { }

    public CompanionConfigurationException(string message) : base(message) { }

    public CompanionConfigurationException(string message, Exception innerException) : base(message, innerException) { }
}
