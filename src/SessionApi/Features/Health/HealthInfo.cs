namespace SessionApi.Features.Health;

/// <summary><c>GET /health</c>.</summary>
public sealed record HealthInfo(string Status);
