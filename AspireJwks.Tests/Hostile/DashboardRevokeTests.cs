using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using AspireJwks.KeyStore;
using AspireJwks.Tests.EndToEnd;
using AspireJwks.Tests.Unit.Bootstrapper;
using Microsoft.Extensions.DependencyInjection;

namespace AspireJwks.Tests.Hostile;

/// <summary>
/// The dashboard's "Revoke signing key" button with a kid typed by hand: anything but a thumbprint is
/// refused before a process starts, and a thumbprint reaches the bootstrapper only as an argument.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class DashboardRevokeTests(AppHostFixture fixture)
{
    private const string Revoke = "revoke-signing-key";

    public static TheoryData<string> HostileKids()
    {
        var kids = new TheoryData<string> { "--help", "-h", "--keys-directory=/tmp", "rotate" };
        foreach (var kid in ((IEnumerable<object[]>)CommandLineTests.MalformedKids).Select(row => (string)row[0]))
        {
            // The dashboard trims what is typed (a kid and a newline is then a kid), and refuses an empty value itself.
            if (kid.Trim().Length > 0 && !KeyStoreLayout.IsWellFormedKid(kid.Trim()))
            {
                kids.Add(kid);
            }
        }
        return kids;
    }

    [Theory]
    [MemberData(nameof(HostileKids))]
    public async Task A_kid_that_is_not_a_thumbprint_is_refused_before_the_bootstrapper_runs(string kid)
    {
        var before = BootstrapperHarness.Snapshot(fixture.KeysDirectory);

        var result = await RevokeAsync(kid);

        Assert.False(result.Success);
        Assert.Equal("Command argument validation failed.", result.Message);
        BootstrapperHarness.AssertUnchanged(fixture.KeysDirectory, before);
    }

    [Fact]
    public async Task A_thumbprint_passes_the_check_and_reaches_the_bootstrapper_as_the_kid_to_revoke()
    {
        // Well formed, but no key of the store: the bootstrapper itself answers, naming it.
        var unknown = new string('x', 43);

        var result = await RevokeAsync(unknown);

        Assert.False(result.Success);
        Assert.NotEqual("Command argument validation failed.", result.Message);
        Assert.Contains($"The store publishes no key {unknown}", result.Data?.Value ?? "", StringComparison.Ordinal);
    }

    private Task<ExecuteCommandResult> RevokeAsync(string kid) =>
        fixture.App.Services.GetRequiredService<ResourceCommandService>()
            .ExecuteCommandAsync("bootstrapper", Revoke,
                new InteractionInputCollection([new InteractionInput { Name = "kid", InputType = InputType.Text, Value = kid }]),
                CancellationToken.None)
            .WaitAsync(TimeSpan.FromMinutes(1));
}
