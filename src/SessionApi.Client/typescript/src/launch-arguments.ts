/**
 * The command line the launcher gives SessionApi: the caller's `args`, then the options of the
 * process contract as arguments. Never the token: argv is readable by every process of the user.
 */
import type { StartSessionApiOptions } from "./launcher-types.js";

export function launchArguments(options: Pick<StartSessionApiOptions, "args" | "storageRoot" | "allowedOrigins"> & { parentPid: number }): string[] {
  const args = [...(options.args ?? [])];
  args.push("--parent-pid", String(options.parentPid));
  if (!args.some((a) => a === "--urls" || a.startsWith("--urls="))) {
    // The contract's default, said explicitly so an inherited ASPNETCORE_URLS cannot move it.
    args.push("--urls=http://127.0.0.1:0");
  }
  if (options.storageRoot !== undefined) args.push(`--Storage:Root=${options.storageRoot}`);
  (options.allowedOrigins ?? []).forEach((origin, i) => args.push(`--Security:AllowedOrigins:${i}=${origin}`));
  return args;
}
