using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;
using Polly.Fallback;
using Polly.Registry;
using Polly.Retry;
using Polly.Testing;
using Polly.Timeout;
using SessionApi.Storage.Writer;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Writer;

/// <summary>The writer's pipelines as the running app registers them in DI: their strategies and order.</summary>
public sealed class PipelineRegistrationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public void The_replace_pipeline_is_timeout_retry_fallback_breaker_outermost_first()
    {
        var pipelines = BuiltPipelines();

        var descriptor = pipelines.GetPipeline<WriteMode>(WriterPipeline.Name).GetPipelineDescriptor();

        Assert.Collection(
            descriptor.Strategies,
            s => Assert.IsType<TimeoutStrategyOptions>(s.Options),
            s => Assert.IsType<RetryStrategyOptions<WriteMode>>(s.Options),
            s => Assert.IsType<FallbackStrategyOptions<WriteMode>>(s.Options),
            s => Assert.IsType<CircuitBreakerStrategyOptions<WriteMode>>(s.Options));
        var retry = (RetryStrategyOptions<WriteMode>)descriptor.Strategies[1].Options!;
        Assert.True(retry.UseJitter);
        Assert.Equal(Polly.DelayBackoffType.Exponential, retry.BackoffType);
    }

    [Fact]
    public void The_delete_pipeline_retries_inside_the_budget()
    {
        var pipelines = BuiltPipelines();

        var descriptor = pipelines.GetPipeline(WriterPipeline.DeleteName).GetPipelineDescriptor();

        Assert.Collection(
            descriptor.Strategies,
            s => Assert.IsType<TimeoutStrategyOptions>(s.Options),
            s => Assert.IsType<RetryStrategyOptions>(s.Options));
    }

    /// <summary>
    /// The registry after the writer has built its pipelines. The app builds them once, through the
    /// writer (WriterWarmUp, right after start, or the first save); asking the registry directly
    /// while that build runs would build a second copy at the same moment, which Polly refuses for
    /// the circuit breaker's shared state provider (this test failed that way once in a CI run).
    /// </summary>
    private ResiliencePipelineProvider<string> BuiltPipelines()
    {
        factory.Services.GetRequiredService<DurableWriter>().WarmUp();
        return factory.Services.GetRequiredService<ResiliencePipelineProvider<string>>();
    }
}
