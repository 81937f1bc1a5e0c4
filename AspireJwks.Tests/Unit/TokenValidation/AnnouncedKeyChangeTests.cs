using System.Security.Cryptography;
using System.Text;
using AspireJwks.Authentication.TokenValidation;
using AspireJwks.Authentication.TokenValidation.Jwks;
using AspireJwks.Protocol.Jwks;
using AspireJwks.Tests.Support;
using Microsoft.Extensions.Options;

namespace AspireJwks.Tests.Unit.TokenValidation;

/// <summary>
/// A key change the issuer announces on the store: a key it no longer publishes stops validating
/// at once, a stale JWKS (from a replica that has not reloaded) cannot bring it back, and the kids
/// remembered for that are bounded.
/// </summary>
public sealed class AnnouncedKeyChangeTests : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly JwksKeySource _source = new(
        Options.Create(new TokenValidationOptions { JwksRefreshInterval = TimeSpan.FromMinutes(1) }), TimeProvider.System);

    [Fact]
    public void A_withdrawn_key_stops_validating_at_once_and_a_stale_jwks_does_not_bring_it_back()
    {
        _source.Publish(Keys("current", "revoked"));
        var changes = new List<(JwksKeySet Before, JwksKeySet After)>();
        _source.Changed += (before, after) => changes.Add((before, after));

        _source.Announced(["current"]);

        Assert.Equal(["current"], _source.Current.Kids);
        var change = Assert.Single(changes);
        Assert.Contains("revoked", change.Before.Kids);

        // A JWKS fetched from an issuer replica that still publishes it.
        _source.Publish(Keys("current", "revoked"));
        Assert.Equal(["current"], _source.Current.Kids);
    }

    [Fact]
    public void An_announcement_that_withdraws_nothing_changes_nothing()
    {
        _source.Publish(Keys("current"));
        var changed = false;
        _source.Changed += (_, _) => changed = true;

        _source.Announced(["current", "added-elsewhere"]);

        Assert.False(changed);
        Assert.Equal(["current"], _source.Current.Kids);
    }

    [Fact]
    public void The_withdrawn_kids_are_bounded_and_the_oldest_is_forgotten_first()
    {
        const int Remembered = 256;
        for (var i = 0; i <= Remembered; i++)
        {
            _source.Publish(Keys($"kid-{i}"));
            _source.Announced([]);
            Assert.Equal(0, _source.Current.Count);
        }

        // kid-0 was pushed out by the 257th; kid-1 is still remembered.
        _source.Publish(Keys("kid-0", "kid-1"));
        Assert.Equal(["kid-0"], _source.Current.Kids);
    }

    private JwksKeySet Keys(params string[] kids)
    {
        var document = JwksDocuments.Set([.. kids.Select(kid => JwksDocuments.EcKey(kid, _key))]);
        return JwksDocumentReader.Read(Encoding.UTF8.GetBytes(document), JwksKeySet.Empty).Keys!;
    }

    public void Dispose()
    {
        _source.Dispose();
        _key.Dispose();
    }
}
