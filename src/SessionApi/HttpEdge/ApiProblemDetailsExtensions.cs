using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SessionApi.HttpEdge;

public static class ApiProblemDetailsExtensions
{
    /// <summary>RFC 9457 problem documents for every error, whoever produces it.</summary>
    public static IServiceCollection AddApiProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Complete);

        // After the framework's writer: used only when that one declines (Accept without JSON).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProblemDetailsWriter, FallbackProblemDetailsWriter>());
        services.AddExceptionHandler<ApiExceptionHandler>();

        // Status-code pages as the very first middleware, ahead of the host filtering that the web
        // host inserts itself: its bare 400 for a foreign Host, routing's 404/405/415 and every other
        // empty error response become ProblemDetails too.
        services.Insert(0, ServiceDescriptor.Transient<IStartupFilter, StatusCodeProblemsStartupFilter>());
        return services;
    }

    private sealed class StatusCodeProblemsStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseStatusCodePages();
            next(app);
        };
    }
}
