using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Microsoft.IdentityModel.Tokens;

namespace AspireJwks.ServiceDefaults.TokenValidation.Jwks;

/// <summary>A key of the issuer's JWKS that passed every check, ready to verify signatures of its one algorithm.</summary>
/// <param name="Material">The public key's defining bytes (RSA n and e, EC x and y), to recognise the same key in the next fetch.</param>
public sealed record PublishedKey(string Kid, string Algorithm, AsymmetricSecurityKey SecurityKey, byte[] Material);

/// <summary>The keys the API trusts at one moment, by kid. Immutable: a refresh publishes a new set.</summary>
public sealed class JwksKeySet
{
    public static readonly JwksKeySet Empty = new([]);

    private readonly FrozenDictionary<string, PublishedKey> _keys;

    public JwksKeySet(IEnumerable<PublishedKey> keys) =>
        _keys = keys.ToFrozenDictionary(key => key.Kid, StringComparer.Ordinal);

    public int Count => _keys.Count;

    public IEnumerable<string> Kids => _keys.Keys;

    public bool TryGet(string kid, [MaybeNullWhen(false)] out PublishedKey key) => _keys.TryGetValue(kid, out key);

    /// <summary>Whether <paramref name="key"/> itself (not just its kid) is still trusted.</summary>
    public bool Holds(PublishedKey key) => _keys.TryGetValue(key.Kid, out var current) && ReferenceEquals(current, key);
}
