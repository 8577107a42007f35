/**
 * Where the SessionApi executable is in a packaged Electron app, and whether it can be started.
 *
 * The publish folder (scripts/publish-windows.sh -> artifacts/publish/win-x64) is bundled with
 * electron-builder `extraResources` (`{ "from": ".../artifacts/publish/win-x64", "to": "SessionApi" }`),
 * which copies it next to `app.asar`, into `process.resourcesPath`. It must never be inside
 * `app.asar`: Electron's fs can read files in an archive, but the OS cannot start a program from one,
 * so a path through `app.asar` would pass an existence check and still fail to spawn.
 */
import { accessSync, constants, openSync, readSync, closeSync, statSync } from "node:fs";
import path from "node:path";

export interface ResolveSessionApiExecutableOptions {
  /** `process.resourcesPath` of the packaged app (the folder that holds `app.asar`). */
  resourcesPath: string;
  /** The platform the app runs on (picks `SessionApi.exe` or `SessionApi`). Default `process.platform`. */
  platform?: NodeJS.Platform;
  /** The `to` of the `extraResources` entry, relative to `resourcesPath`. Default `"SessionApi"`. */
  folder?: string;
  /** Check that the file is there and can be started (see {@link checkSessionApiExecutable}). Default true. */
  check?: boolean;
}

export type SessionApiExecutableErrorCode = "executable_missing" | "executable_not_a_file" | "executable_not_executable" | "executable_inside_asar";

/** The executable cannot be started; `message` says why and what to do. */
export class SessionApiExecutableError extends Error {
  readonly code: SessionApiExecutableErrorCode;
  readonly path: string;

  constructor(code: SessionApiExecutableErrorCode, file: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "SessionApiExecutableError";
    this.code = code;
    this.path = file;
  }
}

/** `SessionApi.exe` on Windows, `SessionApi` elsewhere. */
export function sessionApiExecutableName(platform: NodeJS.Platform = process.platform): string {
  return platform === "win32" ? "SessionApi.exe" : "SessionApi";
}

/**
 * The executable's path in a packaged app: `<resourcesPath>/<folder>/SessionApi(.exe)`. Throws
 * {@link SessionApiExecutableError} when it is missing or cannot be started (unless `check: false`).
 *
 * @example
 * const executable = app.isPackaged
 *   ? resolveSessionApiExecutable({ resourcesPath: process.resourcesPath })
 *   : path.resolve(__dirname, "../sessionapi/artifacts/publish/win-x64/SessionApi.exe");
 */
export function resolveSessionApiExecutable(options: ResolveSessionApiExecutableOptions): string {
  const platform = options.platform ?? process.platform;
  if (!options.resourcesPath) {
    throw new TypeError("resolveSessionApiExecutable: resourcesPath is required (process.resourcesPath in a packaged Electron app)");
  }
  const file = path.join(options.resourcesPath, options.folder ?? "SessionApi", sessionApiExecutableName(platform));
  if (options.check !== false) checkSessionApiExecutable(file, platform);
  return file;
}

const bundleHint =
  'Bundle the publish folder (scripts/publish-windows.sh -> artifacts/publish/win-x64) with electron-builder ' +
  '"extraResources": [{ "from": "<sessionapi>/artifacts/publish/win-x64", "to": "SessionApi" }], never inside app.asar.';

/**
 * Throws {@link SessionApiExecutableError} unless `file` is a regular file the OS can start: not
 * inside an `.asar` archive, present, and executable (POSIX: the execute permission; Windows: a PE
 * image, i.e. it starts with "MZ" — a truncated copy or a Git LFS pointer does not).
 */
export function checkSessionApiExecutable(file: string, platform: NodeJS.Platform = process.platform): void {
  const segments = file.split(/[\\/]+/);
  if (segments.some((s) => s.toLowerCase().endsWith(".asar"))) {
    throw new SessionApiExecutableError("executable_inside_asar", file, `SessionApi executable ${file} is inside an asar archive, from which no program can be started. ${bundleHint}`);
  }
  let stat;
  try {
    stat = statSync(file);
  } catch (cause) {
    throw new SessionApiExecutableError("executable_missing", file, `SessionApi executable not found: ${file} (${(cause as NodeJS.ErrnoException).code ?? String(cause)}). ${bundleHint}`, cause);
  }
  if (!stat.isFile()) {
    throw new SessionApiExecutableError("executable_not_a_file", file, `SessionApi executable ${file} is not a file. ${bundleHint}`);
  }
  if (platform === "win32") {
    const magic = readMagic(file);
    if (magic !== "MZ") {
      throw new SessionApiExecutableError("executable_not_executable", file, `SessionApi executable ${file} is not a Windows program (${stat.size} bytes, not a PE image): an incomplete copy? Publish it again with scripts/publish-windows.sh.`);
    }
    return;
  }
  try {
    accessSync(file, constants.X_OK);
  } catch (cause) {
    const mode = (stat.mode & 0o777).toString(8).padStart(3, "0");
    throw new SessionApiExecutableError("executable_not_executable", file, `SessionApi executable ${file} is not executable (mode ${mode}): the packaging lost its execute permission (chmod +x it).`, cause);
  }
}

function readMagic(file: string): string {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(2);
    const read = readSync(fd, buffer, 0, 2, 0);
    return buffer.subarray(0, read).toString("latin1");
  } finally {
    closeSync(fd);
  }
}
