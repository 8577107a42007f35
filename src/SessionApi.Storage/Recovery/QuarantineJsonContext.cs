using System.Text.Json;
using System.Text.Json.Serialization;
using SessionApi.Storage.Store;

namespace SessionApi.Storage.Recovery;

/// <summary>Source-generated JSON for the store's own files (no reflection, trimming-safe).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(QuarantinedFile))]
internal sealed partial class QuarantineJsonContext : JsonSerializerContext;
