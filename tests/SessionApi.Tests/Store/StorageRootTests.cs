using SessionApi.Storage.Roots;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Store;

/// <summary>Which roots are refused before the server starts, and why (each a real file-system shape).</summary>
public sealed class StorageRootTests : IDisposable
{
    private readonly TempRoot parent = new();

    [Fact]
    public void A_folder_a_missing_folder_and_a_link_to_a_folder_are_usable()
    {
        Directory.CreateDirectory(parent.File("real"));
        Directory.CreateSymbolicLink(parent.File("link"), parent.File("real"));
        Assert.Null(StorageRoot.Problem(parent.File("real")));
        Assert.Null(StorageRoot.Problem(Path.Combine(parent.Path, "missing", "deeper")));
        Assert.Null(StorageRoot.Problem(parent.File("link")));
        Assert.Null(StorageRoot.Problem(Path.Combine(parent.File("link"), "below")));
    }

    [Fact]
    public void A_link_loop_is_named_even_below_the_root()
    {
        File.CreateSymbolicLink(parent.File("a"), parent.File("b"));
        File.CreateSymbolicLink(parent.File("b"), parent.File("a"));
        Assert.Equal($"'{parent.File("a")}' is a symbolic link loop", StorageRoot.Problem(parent.File("a")));
        Assert.Equal($"'{parent.File("a")}' is a symbolic link loop", StorageRoot.Problem(Path.Combine(parent.File("a"), "sessions")));
    }

    [Fact]
    public void A_file_a_path_below_a_file_and_a_dangling_link_are_refused()
    {
        File.WriteAllText(parent.File("file"), "x");
        File.CreateSymbolicLink(parent.File("dangling"), parent.File("nowhere"));
        Assert.Equal("it is a file, not a folder", StorageRoot.Problem(parent.File("file")));
        Assert.Equal($"the folder cannot be created because '{parent.File("file")}' is a file", StorageRoot.Problem(Path.Combine(parent.File("file"), "x", "y")));
        Assert.Equal($"it is a symbolic link to '{parent.File("nowhere")}', which is not a folder", StorageRoot.Problem(parent.File("dangling")));
        var error = Assert.Throws<StorageRootUnusableException>(() => StorageRoot.Prepare(parent.File("file")));
        Assert.StartsWith($"Storage root '{parent.File("file")}' cannot be used: it is a file", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => parent.Dispose();
}
