using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// The default run is short (one launch, 3 warm-up and 8 measured iterations, in process) so that
// bench/run.sh stays within a few minutes; BenchmarkDotNet's own arguments (--job, --filter, ...)
// replace it when given, e.g. `-- --job medium --filter '*Writer*'`.
var config = DefaultConfig.Instance
    .WithOptions(ConfigOptions.DisableLogFile)
    .WithArtifactsPath(Environment.GetEnvironmentVariable("BENCH_ARTIFACTS") ?? DefaultConfig.Instance.ArtifactsPath);
if (!args.Any(a => a is "--job" or "-j"))
{
    config = config.AddJob(Job.ShortRun
        .WithLaunchCount(1)
        .WithWarmupCount(3)
        .WithIterationCount(8)
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithId("short-inproc"));
}

BenchmarkSwitcher.FromAssembly(typeof(SessionApi.Benchmarks.WriterBenchmarks).Assembly).Run(args, config);
