using System.Text.Json;

namespace SessionApi.HttpEdge;

/// <summary>
/// A session document: any JSON object, stored and served byte for byte. This type only describes
/// the body in the OpenAPI document (of a session and of a version); the body itself is streamed,
/// never deserialized.
/// </summary>
#pragma warning disable CA1710 // The name is the schema name clients see.
public sealed class SessionDocument : Dictionary<string, JsonElement>;
#pragma warning restore CA1710
