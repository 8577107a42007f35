using SessionApi.Storage.Writer;

namespace SessionApi.Tests.Writer;

/// <summary>
/// The writer's MoveFileExW gets no long-path help from .NET, and the apphost is not longPathAware:
/// paths past MAX_PATH must carry the \\?\ prefix. (Wine does not enforce MAX_PATH, so the Windows
/// lane can only show that prefixed long paths save and load; this pins the rule itself.)
/// </summary>
public class Win32PathsTests
{
    [Fact]
    public void Short_paths_are_unchanged()
    {
        var path = @"C:\Users\a\AppData\Local\SessionApi\sessions\abc.json";
        Assert.Same(path, Win32Paths.ExtendedIfNeeded(path));
    }

    [Fact]
    public void A_temp_file_of_a_128_character_id_under_a_long_root_gets_the_prefix()
    {
        var root = @"C:\Users\someone\AppData\Local\Packages\Contoso.ChatAssistant_8wekyb3d8bbwe\LocalCache\Roaming\Contoso ChatAssistant\sessions";
        var target = root + @"\" + new string('a', 128) + ".json";
        var temp = TempFileNames.NewFor(target);
        Assert.True(target.Length < 260);
        Assert.True(temp.Length > 259);

        Assert.Equal(target, Win32Paths.ExtendedIfNeeded(target));
        Assert.Equal(@"\\?\" + temp, Win32Paths.ExtendedIfNeeded(temp));
    }

    [Theory]
    [InlineData(259, false)]
    [InlineData(260, true)]
    public void The_limit_is_max_path_including_the_terminator(int length, bool prefixed)
    {
        var path = @"C:\" + new string('x', length - 3);
        Assert.Equal(prefixed, Win32Paths.ExtendedIfNeeded(path).StartsWith(@"\\?\", StringComparison.Ordinal));
    }

    [Fact]
    public void Unc_paths_get_the_unc_form()
    {
        var path = @"\\server\share\" + new string('x', 300);
        Assert.Equal(@"\\?\UNC\server\share\" + new string('x', 300), Win32Paths.ExtendedIfNeeded(path));
    }

    [Theory]
    [InlineData(@"\\?\C:\")]
    [InlineData(@"\\.\C:\")]
    public void Already_extended_or_device_paths_are_unchanged(string prefix)
    {
        var path = prefix + new string('x', 300);
        Assert.Equal(path, Win32Paths.ExtendedIfNeeded(path));
    }
}
