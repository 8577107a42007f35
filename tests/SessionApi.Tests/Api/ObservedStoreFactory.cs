using Microsoft.Extensions.DependencyInjection;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Api;

/// <summary>The real app, its store observed: a test sees a request waiting inside the store.</summary>
public sealed class ObservedStoreFactory : ApiFactory
{
    public ObservedSessionStore Store => Services.GetRequiredService<ObservedSessionStore>();

    protected override void ConfigureTestServices(IServiceCollection services) => ObservedSessionStore.Register(services);
}
