using Microsoft.Extensions.Options;
using SessionApi.Storage.Roots;

namespace SessionApi.Storage.Store;

/// <summary>
/// Refuses a root that cannot work while configuration is validated, before the host starts, so the
/// process exits with one line and the configuration-error code. Only looks; <see cref="StorageRoot.Prepare"/>
/// creates the folder when the store opens.
/// </summary>
internal sealed class StorageRootValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = options.ResolveRoot();
        return StorageRoot.Problem(root) is { } problem
            ? ValidateOptionsResult.Fail(StorageRoot.Describe(root, problem))
            : ValidateOptionsResult.Success;
    }
}
