using System.Text.Json;
using System.Text.Json.Serialization;
using SessionApi.Storage.Sessions;

namespace SessionApi.Features.Events;

/// <summary>
/// Build-time generated JSON for the data of each event of <c>GET /events</c>, with the same web
/// defaults as the HTTP JSON options (the Native AOT build has no reflection-based serializer).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(SessionInfo))]
[JsonSerializable(typeof(DeletedSession))]
[JsonSerializable(typeof(StreamReset))]
internal sealed partial class EventsJsonContext : JsonSerializerContext;
