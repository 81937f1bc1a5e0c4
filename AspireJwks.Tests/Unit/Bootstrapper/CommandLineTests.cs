using AspireJwks.KeyStore.Commands;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Unit.Bootstrapper;

/// <summary>
/// The command line facing input it must not trust or must not mistake for success: response
/// files, malformed kids, options smuggled in as a kid, and requests for help. Exit code 0 means
/// "the store action happened" to scripts and the dashboard, so nothing else may return it.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private const string KidError = "A kid is 43 base64url characters (an RFC 7638 JWK thumbprint), as list prints it.";

    private readonly KeyStoreHarness _store = new();

    public void Dispose() => _store.Dispose();

    private Dictionary<string, byte[]> Snapshot() => BootstrapperHarness.Snapshot(_store.Layout.Directory);

    private void AssertUnchanged(Dictionary<string, byte[]> before) => BootstrapperHarness.AssertUnchanged(_store.Layout.Directory, before);

    [Fact]
    public void An_at_sign_argument_is_never_read_as_a_response_file()
    {
        Assert.Equal(0, _store.Run("init"));
        var before = Snapshot();
        // A response file that, if it were read, would be a valid command line: rotate the store.
        using var directory = new TemporaryDirectory();
        var responseFile = directory.Combine("rotate.rsp");
        File.WriteAllText(responseFile, "rotate\n");

        Assert.Equal(KeyStoreCommandLine.Usage, _store.Run($"@{responseFile}"));
        Assert.Equal(KeyStoreCommandLine.Usage, _store.Run("revoke", "@/etc/passwd"));

        AssertUnchanged(before);
        Assert.DoesNotContain("root:", _store.Errors + _store.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("init")]
    [InlineData("list")]
    public void An_empty_keys_directory_is_a_usage_error_of_one_line_not_a_stack_trace(string command)
    {
        Assert.Equal(KeyStoreCommandLine.Usage, _store.RunIn("", command));
        Assert.Equal(KeyStoreCommandLine.Usage, _store.RunIn("   ", command));

        Assert.Contains("--keys-directory must name a directory.", _store.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", _store.Errors + _store.Output, StringComparison.Ordinal);
    }

    public static TheoryData<string> MalformedKids =>
    [
        "@/etc/passwd",
        "../../../../etc/passwd",
        new string('A', 42),
        new string('A', 44),
        new string('A', 43) + "\n",
        new string('A', 42) + "=",
        new string('A', 42) + "\u0430",
        "",
    ];

    [Theory]
    [MemberData(nameof(MalformedKids))]
    public void Revoke_refuses_a_malformed_kid_with_one_line_before_touching_the_store(string kid)
    {
        Assert.Equal(0, _store.Run("init"));
        var before = Snapshot();

        Assert.Equal(KeyStoreCommandLine.Usage, _store.Run("revoke", kid));

        Assert.Equal([KidError], _store.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(_store.Output);
        AssertUnchanged(before);
    }

    [Fact]
    public void An_option_after_a_double_dash_is_a_kid_to_check_not_an_option()
    {
        Assert.Equal(0, _store.Run("init"));

        Assert.Equal(KeyStoreCommandLine.Usage, _store.Run("revoke", "--", "--help"));

        Assert.Equal([KidError], _store.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("Usage:", _store.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_well_formed_kid_after_a_double_dash_is_revoked()
    {
        Assert.Equal(0, _store.Run("init"));
        var kid = _store.Manifest().Keys.Single().Kid;

        Assert.Equal(0, _store.Run("revoke", "--", kid));

        Assert.DoesNotContain(kid, _store.Manifest().Keys.Select(key => key.Kid));
    }

    public static TheoryData<string[]> HelpRequests =>
    [
        ["--help"],
        ["-h"],
        ["-?"],
        ["init", "--help"],
        ["rotate", "--help"],
        ["revoke", "--help"],
        ["revoke", new string('A', 43), "--help"],
        ["list", "--help"],
        ["--version"],
    ];

    [Theory]
    [MemberData(nameof(HelpRequests))]
    public void Help_or_the_version_prints_and_exits_with_2_without_touching_the_store(string[] args)
    {
        Assert.Equal(KeyStoreCommandLine.Usage, _store.Run(args));

        Assert.NotEmpty(_store.Output);
        Assert.False(Directory.Exists(_store.Layout.Directory));
    }

    [Theory]
    [InlineData("rotat")]
    [InlineData("init", "--rsa-key-size", "many")]
    [InlineData("init", "--signing-algorithm", "HS256")]
    [InlineData("revoke")]
    public void A_command_line_that_is_not_understood_exits_with_2_and_prints_the_error_without_help(params string[] args)
    {
        Assert.Equal(KeyStoreCommandLine.Usage, _store.Run(args));

        Assert.NotEmpty(_store.Errors);
        Assert.DoesNotContain("Usage:", _store.Output + _store.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_store.Layout.Directory));
    }

    [Fact]
    public void A_missing_keys_directory_is_a_usage_error()
    {
        using var store = new KeyStoreHarness();

        Assert.Equal(KeyStoreCommandLine.Usage, KeyStoreCommandLine.Invoke(store.Get<IServiceProvider>(), ["init"],
            new System.CommandLine.InvocationConfiguration { Output = TextWriter.Null, Error = TextWriter.Null }));
    }
}
