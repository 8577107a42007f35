using SessionApi.Storage.Writer;
using SessionApi.Tests.Support;

namespace SessionApi.Tests.Store;

public class PhysicalRootTests
{
    [Fact]
    public void A_plain_root_is_where_it_says()
    {
        using var root = new TempRoot();
        var result = RootProbe.Run(root.Path);
        Assert.Equal(root.Path, result.PhysicalRoot.Path);
        Assert.False(result.PhysicalRoot.Redirected);
        Assert.Equal(WriteMode.AtomicRename, result.Mode);

        // One probe file answers both questions; it stays as the rename target, and no temp is left.
        Assert.Equal([".sessionapi-probe"], Directory.EnumerateFileSystemEntries(root.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_root_behind_a_symlink_is_redirected_to_the_link_target()
    {
        using var real = new TempRoot();
        using var links = new TempRoot();
        var link = Path.Combine(links.Path, "link");
        Directory.CreateSymbolicLink(link, real.Path);

        var result = RootProbe.Run(link).PhysicalRoot;
        Assert.Equal(real.Path, result.Path);
        Assert.True(result.Redirected);
    }

    [Theory]
    [InlineData("/a/b", "/a/b", true)]
    [InlineData("/a/b/c", "/a/b", true)]
    [InlineData("/a/bc", "/a/b", false)]
    [InlineData("/x/b", "/a/b", false)]
    [InlineData("/a/b/", "/a/b", true)]
    public void Under_compares_whole_components(string path, string root, bool expected) =>
        Assert.Equal(expected, RootProbe.IsUnder(path, root));

    [Theory]
    [InlineData(@"\\?\C:\Users\a\AppData\Local\Packages\App_8wekyb3d8bbwe\LocalCache\Roaming\app", @"C:\Users\a\AppData\Local\Packages\App_8wekyb3d8bbwe\LocalCache\Roaming\app")]
    [InlineData(@"\\?\UNC\server\share\sessions", @"\\server\share\sessions")]
    [InlineData(@"D:\WpSystem\S-1-5-21\AppData", @"D:\WpSystem\S-1-5-21\AppData")]
    public void Final_paths_are_shown_in_their_dos_form(string final, string shown) =>
        Assert.Equal(shown, FinalPath.WithoutExtendedPrefix(final));
}
