# syntax=docker/dockerfile:1
# SessionApi in a container: the framework-dependent JIT build of src/SessionApi (with its storage
# engine, src/SessionApi.Storage) on the aspnet image,
# listening on 0.0.0.0 by explicit opt-in (Hosting:AllowRemote), sessions on a volume.
# The container stays JIT on purpose: a long-running server does not need the desktop companion's
# fast start and small footprint, and the build stage needs no C toolchain. (The Native AOT binary of
# scripts/build.sh would need `apt-get install clang zlib1g-dev` in this stage, `-r linux-x64
# -p:PublishAot=true` here, and mcr.microsoft.com/dotnet/runtime-deps:10.0 as the runtime image.)

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the files that decide it, so the layer is cached across code changes.
# global.json is left out on purpose: it pins the developers' SDK (10.0.401), and the image's .NET 10
# SDK may be of another feature band; any .NET 10 SDK builds this project.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/SessionApi/SessionApi.csproj src/SessionApi/
COPY src/SessionApi.Storage/SessionApi.Storage.csproj src/SessionApi.Storage/
RUN dotnet restore src/SessionApi/SessionApi.csproj
# Only the server (the host and its storage engine): the clients and tests are not part of the image,
# and editing them keeps this layer cached.
COPY src/SessionApi.Storage/ src/SessionApi.Storage/
COPY src/SessionApi/ src/SessionApi/
# The committed OpenAPI document is not regenerated here (it is checked by the tests instead).
RUN dotnet publish src/SessionApi/SessionApi.csproj -c Release --no-restore -o /app -p:OpenApiGenerateDocuments=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# curl is not in the aspnet image; the health check uses bash's /dev/tcp instead of adding it.
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    ASPNETCORE_HTTP_PORTS= \
    Hosting__AllowRemote=true \
    Hosting__ShutdownOnStdinClose=Off \
    Storage__Root=/data/sessions \
    Swagger__Enabled=false
RUN mkdir -p /data/sessions && chown -R app:app /data
VOLUME ["/data/sessions"]
# The aspnet image's built-in non-root user (uid 1654).
USER app
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
# Host headers other than localhost/127.0.0.1/[::1] are refused (400, DNS-rebinding defence): reached
# under another name, list every name (the list replaces the loopback default; keep localhost for the
# HEALTHCHECK): `-e Security__AllowedHosts__0=localhost -e Security__AllowedHosts__1=sessions.internal`.
# Pass SESSIONAPI_TOKEN with `docker run -e SESSIONAPI_TOKEN=...`; without it the token is generated
# and printed in the ready line (docker logs). SIGTERM (docker stop) shuts down gracefully.
ENTRYPOINT ["dotnet", "SessionApi.dll"]
