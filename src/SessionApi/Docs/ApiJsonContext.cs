using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using SessionApi.Features.Diagnostics;
using SessionApi.Features.Events;
using SessionApi.Features.Health;
using SessionApi.Features.History;
using SessionApi.Features.Sessions;
using SessionApi.HttpEdge;
using SessionApi.Storage.History;
using SessionApi.Storage.Recovery;
using SessionApi.Storage.Sessions;
using SessionApi.Storage.Store;

namespace SessionApi.Docs;

/// <summary>
/// Build-time generated JSON metadata for every type the HTTP API writes or describes: the Native AOT
/// build has no reflection-based serializer, and the OpenAPI document's schemas come from the same
/// metadata. First in the HTTP JSON options' resolver chain (see <see cref="ApiDocs.AddApiDocs"/>),
/// so the serializer options there (web defaults, strict numbers) still decide names and numbers.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(HealthInfo))]
[JsonSerializable(typeof(SessionInfo))]
[JsonSerializable(typeof(SessionList))]
[JsonSerializable(typeof(SessionDocument))]
[JsonSerializable(typeof(DiagnosticsInfo))]
[JsonSerializable(typeof(QuarantinedFile))]
[JsonSerializable(typeof(VersionList))]
[JsonSerializable(typeof(TrashList))]
[JsonSerializable(typeof(HistoryDiagnostics))]
[JsonSerializable(typeof(DeletedSession))]
[JsonSerializable(typeof(StreamReset))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(ProblemCode))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
// ProblemDetails.Extensions values are objects: the "code" extension is a ProblemCode; others are strings.
[JsonSerializable(typeof(string))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
