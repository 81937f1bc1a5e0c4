using System.Reflection;
using AspireJwks.Tests.Support;

namespace AspireJwks.Tests.Packages;

/// <summary>
/// Each package's public surface is the one its <c>PublicAPI.txt</c> declares: a public type or
/// member is a promise to every team that adopts the package, so it appears only on purpose.
/// </summary>
public sealed class PublicApiTests
{
    /// <summary>Set to 1 to write the current surface into the files, after a change made on purpose.</summary>
    private const string UpdateVariable = "ASPIREJWKS_UPDATE_PUBLIC_API";

    [Theory]
    [InlineData("AspireJwks.Protocol")]
    [InlineData("AspireJwks.Authentication")]
    [InlineData("AspireJwks.KeyStore")]
    [InlineData("AspireJwks.Issuer")]
    [InlineData("AspireJwks.Hosting")]
    [InlineData("AspireJwks.Store")]
    public void A_packages_public_api_is_the_one_it_declares(string package)
    {
        var declaredFile = Path.Combine(Repository.Root, package, "PublicAPI.txt");
        var actual = PublicApi.Describe(Assembly.Load(package));
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllLines(declaredFile, actual);
        }

        var declared = File.ReadAllLines(declaredFile);

        Assert.True(declared.SequenceEqual(actual),
            $"{package}'s public API differs from {declaredFile} (run the tests with {UpdateVariable}=1 to accept it):\n"
            + string.Join('\n', actual));
    }
}
