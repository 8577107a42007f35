using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SessionApi.Storage.Roots;
using SessionApi.Storage.Store;

namespace SessionApi.Hosting;

/// <summary>
/// Runs the web application and turns startup failures into the exit codes of the process
/// contract (<see cref="ExitCodes"/>), each with one line on stderr.
/// </summary>
public static class CompanionHost
{
    /// <summary>
    /// True while dotnet-getdocument runs the app at build time to write the OpenAPI document
    /// (Microsoft.Extensions.ApiDescription.Server starts the host with a no-op server): then nothing
    /// may touch the user's storage, watch stdin or a parent.
    /// </summary>
    public static bool IsBuildTimeDocumentGeneration { get; } =
        System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider";

    public static async Task<int> RunAsync(string[] args, Action<WebApplicationBuilder> configureServices, Action<WebApplication> configurePipeline)
    {
        ArgumentNullException.ThrowIfNull(configureServices);
        ArgumentNullException.ThrowIfNull(configurePipeline);

        WebApplication app;
        try
        {
            // The slim builder (Native AOT friendly: no HTTPS/HTTP3/IIS, no EventLog/Debug/EventSource
            // log providers, no regex route constraints, no hosting startup assemblies) keeps what the
            // process contract uses: appsettings.json + appsettings.{Environment}.json, environment
            // variables, the command line, the console logger (sent to stderr by AddCompanionHosting),
            // host filtering and Kestrel over HTTP.
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
            {
                Args = args,

                // The app's own folder, not the working directory: Electron spawns it from wherever
                // the app happens to run, and from "/" the default content root made the host miss
                // appsettings.json and watch the whole tree for changes (1.35 s to ready instead of
                // 0.27 s, bench/RESULTS.md). A --contentRoot argument still wins (tests, dotnet run).
                ContentRootPath = HasContentRootArgument(args) ? null : AppContext.BaseDirectory,
            });
            configureServices(builder);
            if (IsBuildTimeDocumentGeneration)
            {
                // The generator needs only the endpoints: no storage lock or recovery, no watchdogs.
                builder.Services.RemoveAll<IHostedService>();
            }

            app = builder.Build();
            configurePipeline(app);

            // Validate every ValidateOnStart option now, apart from the rest of startup, so that any
            // failure here (DataAnnotations, a value that does not convert) is known to be configuration.
            app.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (HostAbortedException)
        {
            // WebApplicationFactory and the build-time OpenAPI generator stop the host this way.
            throw;
        }
        catch (Exception e) when (e is CompanionConfigurationException or OptionsValidationException or InvalidOperationException or FormatException)
        {
            return Fail(ExitCodes.ConfigurationError, "configuration error", e);
        }

        try
        {
            await using (app.ConfigureAwait(false))
            {
                await app.RunAsync().ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }
        catch (OperationCanceledException)
        {
            // Asked to stop while starting (the parent was already gone, stdin already closed):
            // a normal, graceful end.
            return ExitCodes.Ok;
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            return FailStart(e.InnerExceptions[0]);
        }
        catch (Exception e) when (IsStartupFailure(e))
        {
            return FailStart(e);
        }
    }

    private static bool IsStartupFailure(Exception e) =>
        e is OptionsValidationException or StorageRootUnusableException or StorageRootInUseException or SessionStoreException or IOException or UnauthorizedAccessException;

    private static int FailStart(Exception e)
    {
        if (e is OptionsValidationException or StorageRootUnusableException)
        {
            return Fail(ExitCodes.ConfigurationError, "configuration error", e);
        }

        if (IsStartupFailure(e))
        {
            // The storage root is locked by another instance or unusable, or the port is taken.
            return Fail(ExitCodes.RootInUse, "cannot start", e);
        }

        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
        return ExitCodes.Failure;
    }

    private static int Fail(int exitCode, string what, Exception e)
    {
        Console.Error.WriteLine($"SessionApi: {what}: {OneLine(e)}");
        return exitCode;
    }

    internal static string OneLine(Exception e)
    {
        var message = e is OptionsValidationException { Failures: var failures } ? string.Join(" ", failures) : e.Message;
        return string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static bool HasContentRootArgument(string[] args) =>
        args.Any(a => a.TrimStart('-', '/').StartsWith(HostDefaults.ContentRootKey, StringComparison.OrdinalIgnoreCase));
}
