using System.Diagnostics.Tracing;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SessionApi.Tests.Api;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Hosting;

/// <summary>
/// src/SessionApi/StartupGenerics.rd.xml has the Native AOT compiler generate the closed generic
/// types that dependency injection makes from open generic registrations (<c>Logger&lt;T&gt;</c>,
/// <c>OptionsFactory&lt;T&gt;</c>, <c>OptionsMonitor&lt;T&gt;</c>...) before the ready line. A type
/// missing there still works, but the AOT binary's runtime type loader builds it at start (~1.2M
/// instructions each, bench/RESULTS.md). This test starts the app on Kestrel (JIT: dependency
/// injection resolves the same services), records every type dependency injection constructs until
/// ApplicationStarted, and names the lines to add.
/// </summary>
[Collection(nameof(DependencyInjectionEvents))]
public sealed class StartupGenericsTests
{
    private static readonly string RdXmlPath = Path.Combine(OpenApiDocumentTests.RepoRoot(), "src", "SessionApi", "StartupGenerics.rd.xml");

    [Fact]
    public void Every_generic_type_dependency_injection_builds_before_the_ready_line_is_generated_ahead_of_time()
    {
        using var events = new CallSiteEvents();
        using var factory = new CutOffAtStartFactory(events);
        factory.UseKestrel(0);
        factory.StartServer();

        var built = events.ConstructedGenericTypes(factory.Services.GetHashCode());
        Assert.NotEmpty(built);
        if (Environment.GetEnvironmentVariable(RegenerateVariable) == "1")
        {
            Regenerate(built);
        }

        var listed = ListedTypeNames();
        var missing = built.Where(t => !listed.Contains(RdXmlName(t))).ToList();
        Assert.True(
            missing.Count == 0,
            $"{RdXmlPath} lacks {missing.Count} types: regenerate it (scripts/regenerate-startup-generics.sh). Missing:{Environment.NewLine}"
                + string.Join(Environment.NewLine, missing.Select(RdXmlName)));
    }

    /// <summary>Set to 1, the test writes the list from what it recorded (the file is generated, not edited).</summary>
    private const string RegenerateVariable = "SESSIONAPI_REGENERATE_STARTUP_GENERICS";

    /// <summary>Rewrites the list: the file's leading comment kept, one Assembly element per assembly defining the generic types, both sorted.</summary>
    private static void Regenerate(IEnumerable<Type> built)
    {
        var existing = XDocument.Load(RdXmlPath);
        XNamespace ns = "http://schemas.microsoft.com/netfx/2013/01/metadata";
        var assemblies = built
            .GroupBy(t => t.Assembly.GetName().Name!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new XElement(ns + "Assembly", new XAttribute("Name", g.Key),
                g.Select(RdXmlName).Distinct().Order(StringComparer.Ordinal)
                    .Select(name => new XElement(ns + "Type", new XAttribute("Name", name), new XAttribute("Dynamic", "Required All")))));
        var document = new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            existing.Nodes().OfType<XComment>().Take(1),
            new XElement(ns + "Directives", new XElement(ns + "Application", assemblies)));
        using var writer = System.Xml.XmlWriter.Create(RdXmlPath, new System.Xml.XmlWriterSettings { Indent = true, IndentChars = "  ", Encoding = new System.Text.UTF8Encoding(false) });
        document.Save(writer);
        writer.Flush();
        File.AppendAllText(RdXmlPath, Environment.NewLine);
    }

    private static HashSet<string> ListedTypeNames() =>
        XDocument.Load(RdXmlPath).Descendants().Where(e => e.Name.LocalName == "Type")
            .Select(e => (string)e.Attribute("Name")!)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>A type's name as rd.xml writes it: generic arguments each with their assembly's simple name.</summary>
    private static string RdXmlName(Type type) =>
        !type.IsConstructedGenericType
            ? type.FullName!
            : $"{type.GetGenericTypeDefinition().FullName}[{string.Join(',', type.GenericTypeArguments.Select(a => $"[{RdXmlName(a)},{a.Assembly.GetName().Name}]"))}]";

    /// <summary>The app with a hosted service whose ApplicationStarted callback runs before the app's own (callbacks run last registered first), so nothing resolved after the ready line is counted.</summary>
    private sealed class CutOffAtStartFactory(CallSiteEvents events) : ApiFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddHostedService(provider => new CutOff(events, provider.GetRequiredService<IHostApplicationLifetime>())));
        }
    }

    private sealed class CutOff(CallSiteEvents events, IHostApplicationLifetime lifetime) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStarted.Register(events.Stop);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>The call sites dependency injection builds (its EventSource), per service provider.</summary>
    private sealed class CallSiteEvents : EventListener
    {
        private readonly List<(int Provider, string ServiceType, int Chunk, int Chunks, string Json)> chunks = [];
        private volatile bool stopped;

        public void Stop() => stopped = true;

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Extensions-DependencyInjection")
            {
                EnableEvents(eventSource, EventLevel.Verbose, EventKeywords.All);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (stopped || eventData.EventName != "CallSiteBuilt" || eventData.Payload is not { } payload)
            {
                return;
            }

            var field = (string name) => payload[eventData.PayloadNames!.IndexOf(name)];
            lock (chunks)
            {
                chunks.Add(((int)field("serviceProviderHashCode")!, (string)field("serviceType")!, (int)field("chunkIndex")!, (int)field("chunkCount")!, (string)field("callSite")!));
            }
        }

        public List<Type> ConstructedGenericTypes(int provider)
        {
            List<(int Provider, string ServiceType, int Chunk, int Chunks, string Json)> mine;
            lock (chunks)
            {
                mine = chunks.Where(c => c.Provider == provider).ToList();
            }

            var names = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var callSite in mine.GroupBy(c => c.ServiceType))
            {
                // A call site longer than one event comes in chunks; one service can be built more than once (one list per build).
                foreach (var build in callSite.Chunk(callSite.First().Chunks))
                {
                    using var json = JsonDocument.Parse(string.Concat(build.OrderBy(c => c.Chunk).Select(c => c.Json)));
                    CollectConstructed(json.RootElement, names);
                }
            }

            return names.Select(Resolve).ToList();
        }

        private static void CollectConstructed(JsonElement callSite, SortedSet<string> names)
        {
            if (callSite.TryGetProperty("kind", out var kind) && kind.GetString() == "Constructor"
                && callSite.TryGetProperty("implementationType", out var type) && type.GetString() is { } name && name.Contains('`', StringComparison.Ordinal))
            {
                names.Add(name);
            }

            foreach (var list in new[] { "arguments", "items" })
            {
                if (callSite.TryGetProperty(list, out var children) && children.ValueKind == JsonValueKind.Array)
                {
                    foreach (var child in children.EnumerateArray())
                    {
                        CollectConstructed(child, names);
                    }
                }
            }
        }

        /// <summary>A type from its <see cref="Type.ToString"/> form, e.g. <c>Ns.Outer`1[Ns.Arg]</c>, among the loaded assemblies.</summary>
        private static Type Resolve(string name)
        {
            var open = name.IndexOf('[', StringComparison.Ordinal);
            if (open < 0)
            {
                return AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(name, throwOnError: false)).First(t => t is not null)!;
            }

            return Resolve(name[..open]).MakeGenericType([.. SplitArguments(name[(open + 1)..^1]).Select(Resolve)]);
        }

        private static IEnumerable<string> SplitArguments(string arguments)
        {
            var depth = 0;
            var start = 0;
            for (var i = 0; i < arguments.Length; i++)
            {
                depth += arguments[i] switch { '[' => 1, ']' => -1, _ => 0 };
                if (arguments[i] == ',' && depth == 0)
                {
                    yield return arguments[start..i];
                    start = i + 1;
                }
            }

            yield return arguments[start..];
        }
    }
}

/// <summary>Dependency injection's EventSource is process-wide: its listener runs alone.</summary>
[CollectionDefinition(nameof(DependencyInjectionEvents), DisableParallelization = true)]
public sealed class DependencyInjectionEvents;
