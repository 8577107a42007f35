using Microsoft.Extensions.Configuration;
using SessionApi.Hosting;
using SessionApi.Security;

namespace SessionApi.Tests.Hosting;

public sealed class LoopbackGuardTests
{
    [Theory]
    [InlineData("http://127.0.0.1:0", true)]
    [InlineData("http://127.5.6.7:80", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://[::1]:0", true)]
    [InlineData("http://unix:/tmp/sessionapi.sock", true)]
    [InlineData("http://0.0.0.0:0", false)]
    [InlineData("http://*:8080", false)]
    [InlineData("http://+:8080", false)]
    [InlineData("http://[::]:0", false)]
    [InlineData("http://192.168.1.10:80", false)]
    [InlineData("http://example.com:80", false)]
    [InlineData("http://localhost.example.com:80", false)]
    [InlineData("http://pipe:/sessionapi", false)]
    public void Only_loopback_addresses_pass(string url, bool loopback) => Assert.Equal(loopback, LoopbackGuard.IsLoopback(url));

    [Fact]
    public void Every_source_of_listen_addresses_is_checked()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0;http://0.0.0.0:1",
            ["Kestrel:Endpoints:Extra:Url"] = "http://10.1.2.3:5",
        }).Build();
        var urls = LoopbackGuard.ConfiguredUrls(configuration);
        Assert.Equal(3, urls.Count);
        var error = Assert.Throws<CompanionConfigurationException>(() => LoopbackGuard.Enforce(urls));
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Http_ports_mean_every_interface()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["http_ports"] = "8080" }).Build();
        Assert.Throws<CompanionConfigurationException>(() => LoopbackGuard.Enforce(LoopbackGuard.ConfiguredUrls(configuration)));
    }

    [Fact]
    public void Nothing_configured_means_the_default_loopback_url()
    {
        Assert.Empty(LoopbackGuard.ConfiguredUrls(new ConfigurationBuilder().Build()));
        Assert.True(LoopbackGuard.IsLoopback(LoopbackGuard.DefaultUrl));
    }
}

public sealed class ApiTokenTests
{
    [Fact]
    public void Generated_tokens_are_long_random_and_url_safe()
    {
        var a = ApiToken.Generate();
        var b = ApiToken.Generate();
        Assert.True(a.Generated);
        Assert.NotEqual(a.Value, b.Value);
        Assert.True(a.Value.Length >= 43);
        Assert.All(a.Value, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
    }

    [Theory]
    [InlineData("secret", true)]
    [InlineData("secreT", false)]
    [InlineData("secret ", false)]
    [InlineData("secre", false)]
    [InlineData("", false)]
    [InlineData("sécret", false)]
    public void Matches_exactly(string candidate, bool expected) =>
        Assert.Equal(expected, new ApiToken("secret", generated: false).Matches(candidate));

    [Fact]
    public void A_very_long_candidate_is_compared_without_trouble() =>
        Assert.False(new ApiToken("secret", generated: false).Matches(new string('x', 100_000)));
}
