// Locating the bundled executable in a packaged Electron app (process.resourcesPath + the
// extraResources folder) and the clear refusals when it is missing, inside app.asar, or cannot be
// started. Real files in a temp folder laid out as electron-builder lays out resources/.
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import {
  checkSessionApiExecutable,
  resolveSessionApiExecutable,
  SessionApiExecutableError,
  SessionApiLaunchError,
  sessionApiExecutableName,
  startSessionApi,
} from "@sessionapi/client/launcher";
import { cleanupTempDirs, tempDir } from "./helpers.mjs";

after(cleanupTempDirs);

/** A `resources/` folder with `SessionApi/<name>` holding `bytes`, mode `mode`. */
function resources(name, bytes, mode = 0o755) {
  const resourcesPath = tempDir("sessionapi-resources-");
  mkdirSync(join(resourcesPath, "SessionApi"));
  const file = join(resourcesPath, "SessionApi", name);
  writeFileSync(file, bytes);
  chmodSync(file, mode);
  return { resourcesPath, file };
}

const refusal = (code, pattern) => (e) => {
  assert.ok(e instanceof SessionApiExecutableError, `a SessionApiExecutableError, got ${e}`);
  assert.equal(e.code, code);
  assert.match(e.message, pattern);
  return true;
};

describe("resolveSessionApiExecutable", () => {
  test("Windows: <resourcesPath>/SessionApi/SessionApi.exe, a PE image", () => {
    const { resourcesPath, file } = resources("SessionApi.exe", Buffer.concat([Buffer.from("MZ"), Buffer.alloc(126)]), 0o644);
    assert.equal(resolveSessionApiExecutable({ resourcesPath, platform: "win32" }), file);
    assert.equal(sessionApiExecutableName("win32"), "SessionApi.exe");
  });

  test("Linux: <resourcesPath>/SessionApi/SessionApi with its execute permission", () => {
    const { resourcesPath, file } = resources("SessionApi", "#!/bin/sh\nexit 0\n");
    assert.equal(resolveSessionApiExecutable({ resourcesPath, platform: "linux" }), file);
  });

  test("another extraResources folder", () => {
    const resourcesPath = tempDir("sessionapi-resources-");
    mkdirSync(join(resourcesPath, "bin", "sessionapi"), { recursive: true });
    const file = join(resourcesPath, "bin", "sessionapi", "SessionApi");
    writeFileSync(file, "#!/bin/sh\n", { mode: 0o755 });
    assert.equal(resolveSessionApiExecutable({ resourcesPath, platform: "linux", folder: join("bin", "sessionapi") }), file);
  });

  test("missing: says where it looked and how to bundle it", () => {
    const resourcesPath = tempDir("sessionapi-resources-");
    assert.throws(() => resolveSessionApiExecutable({ resourcesPath, platform: "win32" }),
      refusal("executable_missing", /not found: .*SessionApi\.exe \(ENOENT\).*extraResources.*never inside app\.asar/s));
  });

  test("check: false only builds the path", () => {
    const resourcesPath = tempDir("sessionapi-resources-");
    assert.equal(resolveSessionApiExecutable({ resourcesPath, platform: "win32", check: false }), join(resourcesPath, "SessionApi", "SessionApi.exe"));
  });

  test("resourcesPath is required", () => {
    assert.throws(() => resolveSessionApiExecutable({ resourcesPath: "" }), TypeError);
  });
});

describe("checkSessionApiExecutable", () => {
  test("inside app.asar: refused before looking at the file (Electron's fs would find it, spawn would not)", () => {
    assert.throws(() => checkSessionApiExecutable(join("/opt/App/resources/app.asar", "SessionApi", "SessionApi.exe"), "win32"),
      refusal("executable_inside_asar", /inside an asar archive.*extraResources/s));
    // app.asar.unpacked is a real folder: that is allowed (and then simply checked).
    assert.throws(() => checkSessionApiExecutable(join(tempDir(), "app.asar.unpacked", "SessionApi"), "linux"), refusal("executable_missing", /not found/));
  });

  test("Windows: a truncated copy or a Git LFS pointer is not a program", () => {
    const { file } = resources("SessionApi.exe", "version https://git-lfs.github.com/spec/v1\n");
    assert.throws(() => checkSessionApiExecutable(file, "win32"), refusal("executable_not_executable", /not a Windows program \(\d+ bytes/));
    const empty = resources("SessionApi.exe", "");
    assert.throws(() => checkSessionApiExecutable(empty.file, "win32"), refusal("executable_not_executable", /0 bytes/));
  });

  test("POSIX: no execute permission is named, with the mode", () => {
    const { file } = resources("SessionApi", "#!/bin/sh\n", 0o644);
    assert.throws(() => checkSessionApiExecutable(file, "linux"), refusal("executable_not_executable", /not executable \(mode 644\).*chmod \+x/s));
  });

  test("a folder where the file should be", () => {
    const resourcesPath = tempDir("sessionapi-resources-");
    mkdirSync(join(resourcesPath, "SessionApi", "SessionApi"), { recursive: true });
    assert.throws(() => resolveSessionApiExecutable({ resourcesPath, platform: "linux" }), refusal("executable_not_a_file", /is not a file/));
  });
});

describe("the launcher checks the executable before spawning", () => {
  test("not executable: spawn_failed with the reason, nothing started", async () => {
    const { file } = resources("SessionApi", "#!/bin/sh\necho should-not-run\n", 0o600);
    const error = await startSessionApi({ executable: file, readyTimeoutMs: 5_000 }).then(() => assert.fail("should not start"), (e) => e);
    assert.ok(error instanceof SessionApiLaunchError);
    assert.equal(error.code, "spawn_failed");
    assert.match(error.message, /not executable \(mode 600\)/);
    assert.ok(error.cause instanceof SessionApiExecutableError);
  });

  test("a bare command (resolved through PATH) is left to spawn", async () => {
    const error = await startSessionApi({ executable: "no-such-sessionapi-command", readyTimeoutMs: 5_000 }).then(() => assert.fail("should not start"), (e) => e);
    assert.equal(error.code, "spawn_failed");
    assert.match(error.message, /ENOENT/);
    assert.equal(error.cause instanceof SessionApiExecutableError, false);
  });
});
